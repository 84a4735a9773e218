package io.dotmac.sales.slug;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.QuotePayment;
import io.dotmac.sales.order.OrderRepository;
import io.dotmac.sales.provisioning.CustomerTenantRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Customer organization slugs, owned here platform-wide: a slug is a subdomain of every vendor
 * tenant's customers alike. A lead's reservation keeps every other lead, of any vendor tenant, from
 * the slug while it is in force; provisioning a customer tenant for a slug another vendor tenant
 * holds is refused too. The answer to a taken slug never says who holds it.
 */
@ApplicationScoped
public class SlugReservations {

    private static final Logger LOG = Logger.getLogger(SlugReservations.class);
    /** One DNS label under the tenant base domain, as crm-service qualifies it. */
    public static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,38}[a-z0-9]$");

    private final SlugReservationRepository reservations;
    private final CustomerTenantRepository customerTenants;
    private final OrderRepository orders;
    private final PaidQuotes payments;

    SlugReservations(SlugReservationRepository reservations, CustomerTenantRepository customerTenants, OrderRepository orders,
                     PaidQuotes payments) {
        this.reservations = reservations;
        this.customerTenants = customerTenants;
        this.orders = orders;
        this.payments = payments;
    }

    /**
     * Reserves the slug for the tenant's lead until {@code expiresAt} (null: for good), or extends
     * the lead's reservation (never shortens it); 409 if another lead holds it or another vendor
     * tenant's customer tenant has it. Asking again is harmless.
     */
    @WithTransaction
    public Uni<SlugReservation> reserve(String tenantId, String slug, String leadId, OffsetDateTime expiresAt) {
        requireSlug(slug);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidRequest("expires_at: must be in the future (or absent: reserved for good), was " + expiresAt);
        }
        return reservations.lock(slug).chain(existing -> customerTenants.findBySlug(slug).chain(provisioned -> {
            if (provisioned != null && !provisioned.tenantId.equals(tenantId)
                    || existing != null && !existing.heldBy(tenantId, leadId) && existing.inForce(now)) {
                throw taken(slug);
            }
            if (existing != null && existing.heldBy(tenantId, leadId)) {
                existing.expiresAt = existing.expiresAt == null || expiresAt == null ? null
                        : expiresAt.isAfter(existing.expiresAt) ? expiresAt : existing.expiresAt;
                existing.updatedAt = now;
                return Uni.createFrom().item(existing);
            }
            SlugReservation reservation = existing != null ? existing : new SlugReservation();
            if (existing != null) {
                LOG.infof("slug '%s': the reservation of lead %s expired at %s; lead %s takes it", slug, existing.leadId,
                        existing.expiresAt, leadId);
            }
            reservation.slug = slug;
            reservation.tenantId = tenantId;
            reservation.leadId = leadId;
            reservation.expiresAt = expiresAt;
            reservation.createdAt = now;
            reservation.updatedAt = now;
            return existing != null ? Uni.createFrom().item(reservation) : reservations.persist(reservation);
        }));
    }

    /** The tenant's reservation of the slug, or 404 (another tenant's is not shown). */
    @WithTransaction
    public Uni<SlugReservation> get(String tenantId, String slug) {
        return reservations.findById(slug).map(found -> {
            if (found == null || !found.tenantId.equals(tenantId)) {
                throw new NotFound("No reservation of slug '" + slug + "' in this tenant");
            }
            return found;
        });
    }

    /**
     * Frees the lead's reservation of the slug (its quote was rejected); 404 if the lead holds none,
     * 409 if it holds it for good (its quote was accepted).
     */
    @WithTransaction
    public Uni<Void> release(String tenantId, String slug, String leadId) {
        requireSlug(slug);
        return reservations.lock(slug).chain(existing -> {
            if (existing == null || !existing.heldBy(tenantId, leadId)) {
                throw new NotFound("Lead " + leadId + " holds no reservation of slug '" + slug + "'");
            }
            if (existing.expiresAt == null) {
                throw new Conflict("Slug '" + slug + "' is held for good: the quote of lead " + leadId
                        + " was accepted");
            }
            return reservations.delete(existing);
        });
    }

    /**
     * Frees the slug the tenant's lead holds for good for its accepted quote {@code quoteId} that was
     * never paid: billing-service, asked first with the caller's token, reports the quote's payment
     * failed, and no order of the quote exists (nobody is provisioned under the slug). 404 if the lead
     * holds no reservation (freed before), 409 while the payment is not failed or an order exists.
     */
    public Uni<Void> releaseUnpaid(String tenantId, String slug, String leadId, String quoteId) {
        requireSlug(slug);
        return payments.payment(quoteId).chain(payment -> {
            if (payment == null || !QuotePayment.FAILED.equals(payment.status())) {
                throw new Conflict("Slug '" + slug + "' stays held: the payment of quote " + quoteId + " is "
                        + (payment == null ? "not known to billing-service" : payment.status()) + ", not failed");
            }
            return Panache.withTransaction(() -> orders.findByQuote(tenantId, quoteId).chain(order -> {
                if (order != null) {
                    throw new Conflict("Slug '" + slug + "' stays held: quote " + quoteId + " has order " + order.id);
                }
                return reservations.lock(slug);
            }).chain(existing -> {
                if (existing == null || !existing.heldBy(tenantId, leadId)) {
                    throw new NotFound("Lead " + leadId + " holds no reservation of slug '" + slug + "'");
                }
                LOG.infof("slug '%s' of tenant %s is free again: lead %s's quote %s was never paid", slug, tenantId, leadId, quoteId);
                return reservations.delete(existing);
            }));
        });
    }

    /**
     * Provisioning: fails with {@code failure} if another vendor tenant's lead holds the slug now.
     * Locks the slug until the caller's transaction ends, so no reservation slips in meanwhile.
     */
    public Uni<Void> requireNotHeldByAnotherTenant(String tenantId, String slug, RuntimeException failure) {
        return reservations.lock(slug).invoke(existing -> {
            if (existing != null && !existing.tenantId.equals(tenantId) && existing.inForce(OffsetDateTime.now(ZoneOffset.UTC))) {
                throw failure;
            }
        }).replaceWithVoid();
    }

    /**
     * Whether no lead holds the slug now and no customer tenant has it, of any vendor tenant (the
     * shop's check as a visitor types; reserving it is still what decides).
     */
    @WithSession
    public Uni<Boolean> isFree(String slug) {
        requireSlug(slug);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return reservations.findById(slug).chain(reservation -> reservation != null && reservation.inForce(now)
                ? Uni.createFrom().item(false)
                : customerTenants.findBySlug(slug).map(tenant -> tenant == null));
    }

    private static void requireSlug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw new InvalidRequest("slug: '" + slug + "' is not an organization slug (3 to 40 of a-z, 0-9 and"
                    + " inner hyphens, starting with a letter)");
        }
    }

    static DomainException taken(String slug) {
        return new Conflict("organization slug '" + slug + "' is taken");
    }
}
