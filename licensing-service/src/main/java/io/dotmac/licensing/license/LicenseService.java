package io.dotmac.licensing.license;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.common.payment.PaidInvoices;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.SubscriptionInvoice;
import io.dotmac.common.quote.CrmQuotes;
import io.dotmac.common.quote.Quote;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.licensing.entitlement.ProductEntitlement;
import io.dotmac.licensing.entitlement.ProductEntitlementRepository;
import io.dotmac.licensing.license.IssueLicenses.ProductQuantity;
import io.dotmac.licensing.signing.LicenseKeyVerifier;
import io.dotmac.licensing.signing.SigningKeys;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Issues licenses, one per product of a purchase, once per (tenant, customer, source): the source is
 * the quote bought, and only what that quote says (as crm-service has it, {@link CrmQuotes}) is
 * licensed, to the quote's organization, for its products and seats, for its billing cycle, and
 * only once it is paid in full ({@link PaidQuotes}). Also changes licenses' status, and verifies keys
 * against the signature and then the stored license.
 */
@ApplicationScoped
@Startup // a grace out of range stops the service at start, not at its first license
public class LicenseService {

    private static final Logger LOG = Logger.getLogger(LicenseService.class);

    private final LicenseRepository licenses;
    private final ProductEntitlementRepository entitlements;
    private final SigningKeys keys;
    private final Funnel funnel;
    private final PaidQuotes paid;
    private final PaidInvoices paidInvoices;
    private final CrmQuotes crm;
    private final SupersededKeyRepository supersededKeys;
    /**
     * How long a key outlives the period paid for: Stripe charges a renewal about an hour after its
     * period began and retries a declined card for days, and the customer's platform must not stop
     * meanwhile (dunning suspends it, by its status, if the money never comes).
     */
    private final Duration grace;

    LicenseService(LicenseRepository licenses, ProductEntitlementRepository entitlements, SigningKeys keys, Funnel funnel,
                   PaidQuotes paid, PaidInvoices paidInvoices, CrmQuotes crm, SupersededKeyRepository supersededKeys,
                   @ConfigProperty(name = "licensing.expiry-grace") Duration grace) {
        if (grace.isNegative() || grace.compareTo(Duration.ofDays(31)) > 0) {
            throw new IllegalStateException("licensing.expiry-grace (LICENSE_EXPIRY_GRACE) is " + grace
                    + "; it must be 0 to 31 days");
        }
        this.grace = grace;
        this.licenses = licenses;
        this.paidInvoices = paidInvoices;
        this.supersededKeys = supersededKeys;
        this.entitlements = entitlements;
        this.keys = keys;
        this.funnel = funnel;
        this.paid = paid;
        this.crm = crm;
    }

    /**
     * {@code request} checked against what its source, the quote, bought: read from crm-service, the
     * customer must be the quote's organization ({@code organization_slug}), the products and seats
     * its items (lines of one product add up, on either side), and the billing_cycle, when given, the
     * quote's; each difference is a 422 naming what was asked and what the quote says, and a quote
     * unknown to crm-service is 422 too. Then billing-service must report a succeeded payment of the
     * quote's total in its currency (409 otherwise). crm-service or billing-service unreachable is
     * 503. Returns the request with the quote's own id (crm-service's spelling of it, so that one
     * quote is one set however it was asked for) and the quote's cycle when none was given: what
     * {@link #issue} licenses.
     *
     * <p>Not transactional: called before the Idempotency-Key's transaction, so that no database
     * connection or key row is held while other services are asked.
     */
    public Uni<IssueLicenses> bought(IssueLicenses request) {
        return crm.quote(request.sourceId()).chain(quote -> {
            String what = "Licenses for quote " + quote.name(request.sourceId()) + " cannot be issued";
            BillingCycle cycle = asBought(request, quote, what);
            return paid.requirePaid(quote.id(), quote.totalAmount(), quote.currency(), what)
                    .replaceWith(request.resolved(quote.id(), cycle));
        });
    }

    /**
     * The cycle the licenses of {@code quote} run for, once {@code request} asks for what it bought;
     * a 422 otherwise (a 502 if crm-service answered with another quote than the one asked for).
     */
    private static BillingCycle asBought(IssueLicenses request, Quote quote, String what) {
        if (quote.id() == null || !quote.id().equalsIgnoreCase(request.sourceId())) {
            throw new UpstreamFailed("crm-service answered quote " + request.sourceId() + " with quote " + quote.id());
        }
        if (quote.change()) {
            // Its items are the subscription's new whole, not a purchase: they re-seat the licenses of the quote it changes.
            throw new Unprocessable("Quote " + quote.name(request.sourceId()) + " changes the subscription of quote "
                    + quote.changesQuoteId() + "; its seats are applied with POST /api/v1/licenses/change");
        }
        if (!request.customerId().equals(quote.organizationSlug())) {
            throw new Unprocessable(what + " to customer_id '" + request.customerId() + "': "
                    + (quote.organizationSlug() == null ? "the quote names no organization_slug"
                            : "the quote is for organization_slug '" + quote.organizationSlug() + "'"));
        }
        SortedMap<String, Integer> asked = seatsByProduct(request.products());
        SortedMap<String, Integer> quoted = quotedSeats(quote, what);
        if (!asked.equals(quoted)) {
            throw new Unprocessable(what + " for products " + asked + ": the quote is for " + quoted);
        }
        BillingCycle billed = BillingCycle.find(quote.billingCycle());
        if (billed == null) {
            throw new Unprocessable(what + ": the quote's billing_cycle is '" + quote.billingCycle()
                    + "', not monthly or annual");
        }
        if (request.billingCycle() != null && request.billingCycle() != billed) {
            throw new Unprocessable(what + " with billing_cycle '" + request.billingCycle().code()
                    + "': the quote is billed " + quote.billingCycle());
        }
        if (quote.totalAmount() == null || quote.currency() == null) {
            throw new Unprocessable(what + ": the quote has no total_amount and currency to check its payment against");
        }
        return billed;
    }

    /** The quote's seats by product (lines of one product add up); 422 for a line without a product or a positive quantity. */
    static SortedMap<String, Integer> quotedSeats(Quote quote, String what) {
        SortedMap<String, Integer> seats = new TreeMap<>();
        for (Quote.Item item : quote.items() == null ? List.<Quote.Item>of() : quote.items()) {
            if (item == null || item.productCode() == null || item.quantity() == null || item.quantity() < 1) {
                throw new Unprocessable(what + ": the quote has an item without product_code or a positive quantity");
            }
            seats.merge(item.productCode().trim(), item.quantity(), Math::addExact);
        }
        return seats;
    }

    /**
     * The licenses of {@code request}, as {@link #bought} returned it (the quote's id and cycle):
     * issued now if this is the first request for its set, otherwise the set issued before (the same
     * products must be asked for, 409 otherwise). Unknown products are 422.
     */
    @WithTransaction
    public Uni<IssuedLicenses> issue(String tenantId, IssueLicenses request) {
        Objects.requireNonNull(request.billingCycle(), "issue takes the request as bought(...) resolved it");
        SortedMap<String, Integer> seats = seatsByProduct(request.products());
        return entitlements.catalog().chain(catalog -> {
            Map<String, ProductEntitlement> byCode = catalog.stream()
                    .collect(Collectors.toMap(e -> e.productCode, Function.identity()));
            List<String> unknown = seats.keySet().stream().filter(code -> !byCode.containsKey(code)).toList();
            if (!unknown.isEmpty()) {
                throw new Unprocessable("Unknown product code" + (unknown.size() > 1 ? "s " : " ")
                        + String.join(", ", unknown) + "; licensed products are " + String.join(", ", byCode.keySet().stream().sorted().toList()));
            }
            return licenses.claimSet(tenantId, request.customerId(), request.sourceId(), request.billingCycle())
                    .chain(claimed -> claimed
                            ? create(tenantId, request, seats, byCode)
                            : existing(tenantId, request, seats));
        });
    }

    private Uni<IssuedLicenses> create(String tenantId, IssueLicenses request, SortedMap<String, Integer> seats,
                                       Map<String, ProductEntitlement> catalog) {
        // Whole seconds: the key and the row then carry the very same instants.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = request.billingCycle().expiryFrom(now).plus(grace);
        List<License> issued = new ArrayList<>();
        seats.forEach((code, count) -> {
            License license = License.issued(tenantId, request.customerId(), request.sourceId(), catalog.get(code), count,
                    request.billingCycle(), now, expiresAt);
            license.keyId = keys.keyId();
            license.licenseKey = keys.signer().sign(new LicenseKeyVerifier.Claims(keys.keyId(), license.id, tenantId,
                    license.customerId, code, count, List.of(license.features), now, expiresAt));
            issued.add(license);
        });
        return licenses.persistAll(issued)
                .invoke(() -> funnel.reached(Funnel.Stage.LICENSED))
                .replaceWith(new IssuedLicenses(true, request.customerId(), request.sourceId(), issued));
    }

    private Uni<IssuedLicenses> existing(String tenantId, IssueLicenses request, SortedMap<String, Integer> seats) {
        return licenses.findSet(tenantId, request.customerId(), request.sourceId()).map(found -> {
            SortedMap<String, Integer> issued = new TreeMap<>();
            found.forEach(license -> issued.put(license.productCode, license.seats));
            if (!issued.equals(seats)) {
                throw new Conflict("Licenses for source " + request.sourceId() + " of customer "
                        + request.customerId() + " were issued already for other products " + issued
                        + " (asked for " + seats + "); a new purchase needs a new source_id");
            }
            return new IssuedLicenses(false, request.customerId(), request.sourceId(), found);
        });
    }

    /**
     * The invoice that renews the licenses bought with {@code sourceId}: billing-service must report
     * it paid (409 otherwise) and billing that quote (422 otherwise, or for an invoice it does not
     * know); 503 if it cannot be asked. Not transactional, like {@link #bought}.
     */
    public Uni<SubscriptionInvoice> paidFor(String sourceId, String invoiceId) {
        return paidInvoices.requirePaid(invoiceId, sourceId, "Licenses of quote " + sourceId + " cannot be renewed");
    }

    /**
     * Extends, once per invoice, every license of {@code sourceId} that is not revoked, nor expired
     * with its subscription, to the end of the period {@code invoice} paid for (and the grace), each
     * under a new key signed with that expiry; a license running longer already is left as it is (an
     * invoice delivered late never shortens one). The renewal is claimed first, so that of two
     * requests for one invoice the second finds it done (and returns the licenses as they are). 409
     * if the source has no licenses in this tenant.
     */
    @WithTransaction
    public Uni<RenewedLicenses> renew(String tenantId, String sourceId, SubscriptionInvoice invoice) {
        Instant periodEnd = invoice.periodEnd().toInstant().truncatedTo(ChronoUnit.SECONDS);
        return licenses.lockSource(tenantId, sourceId).chain(found -> {
            if (found.isEmpty()) {
                throw new Conflict("Quote " + sourceId + " has no licenses in this tenant to renew");
            }
            // The source as licensing spells it, whatever the caller's case.
            String source = found.get(0).sourceId;
            return licenses.claimRenewal(tenantId, invoice.id(), source, periodEnd).chain(claimed -> {
                if (!claimed) {
                    return Uni.createFrom().item(new RenewedLicenses(source, invoice.id(), periodEnd, false, found));
                }
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                Instant expiresAt = periodEnd.plus(grace);
                List<SupersededKey> replaced = new ArrayList<>();
                for (License license : found) {
                    if (license.renewableTo(expiresAt)) {
                        String key = keys.signer().sign(new LicenseKeyVerifier.Claims(keys.keyId(), license.id, tenantId,
                                license.customerId, license.productCode, license.seats, List.of(license.features), now, expiresAt));
                        replaced.add(license.extendTo(expiresAt, keys.keyId(), key, now));
                    }
                }
                LOG.infof("Invoice %s renewed %d of %d license(s) of quote %s in tenant %s until %s (the period's end %s and %s "
                        + "of grace)", invoice.id(), replaced.size(), found.size(), source, tenantId, expiresAt, periodEnd, grace);
                RenewedLicenses renewed = new RenewedLicenses(source, invoice.id(), periodEnd, true, found);
                return replaced.isEmpty() ? Uni.createFrom().item(renewed) : supersededKeys.persist(replaced).replaceWith(renewed);
            });
        });
    }

    private static SortedMap<String, Integer> seatsByProduct(List<ProductQuantity> products) {
        SortedMap<String, Integer> seats = new TreeMap<>();
        for (ProductQuantity product : products) {
            seats.merge(product.productCode().trim(), product.quantity(), Math::addExact);
        }
        return seats;
    }

    public Uni<License> get(String tenantId, UUID id) {
        return licenses.findOwned(tenantId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    public Uni<Page<License>> list(String tenantId, String customerId, PageRequest page) {
        return licenses.page(tenantId, customerId, page);
    }

    /** Puts an operator's hold on the license, suspending it; safe to repeat. 409 if it is revoked or expired with its subscription. */
    @WithTransaction
    public Uni<License> suspend(String tenantId, UUID id) {
        return locked(tenantId, id).invoke(license -> license.hold(Hold.OPERATOR, null, now()));
    }

    /** Lifts the operator's hold from the license, active again if no other hold remains; lifting none is no change. */
    @WithTransaction
    public Uni<License> reinstate(String tenantId, UUID id) {
        return locked(tenantId, id).invoke(license -> license.lift(Hold.OPERATOR, now()));
    }

    // Locked: of two concurrent changes, the second reads the holds the first put on or lifted.
    private Uni<License> locked(String tenantId, UUID id) {
        return licenses.lockOwned(tenantId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    @WithTransaction
    public Uni<License> revoke(String tenantId, UUID id) {
        return get(tenantId, id).invoke(license -> license.revoke(Instant.now()));
    }

    /**
     * Revokes, in one transaction, every license of this tenant bought with {@code sourceId} that is
     * not revoked yet: the undo of a purchase whose journey failed for good, or an operator's. Safe to
     * repeat: once done it revokes nothing and answers the same licenses; a source with no licenses
     * (the journey may fail before licensing anything, or it is another tenant's) is no error either.
     * The rows are locked first, so concurrent calls revoke each license once between them.
     */
    @WithTransaction
    public Uni<SourceLicenses> revokeSource(String tenantId, String sourceId, String reason) {
        return changeSource(tenantId, sourceId, reason, "Revoked",
                when((license, now) -> license.status != LicenseStatus.REVOKED, License::revoke));
    }

    /**
     * Puts {@code hold} (the operator's when null) on every license of this tenant bought with
     * {@code sourceId} that is active or suspended as stored, whatever its expiry says, in one
     * transaction: a customer whose subscription's invoice went unpaid past its grace (dunning, with
     * the invoice's hold), or an operator's decision. Each is suspended while any hold is on it.
     * Revoked licenses and those expired with their subscription are left as they are. Counts the
     * licenses the hold was put on: none when it is on already. Safe to repeat, like {@link #revokeSource}.
     */
    @WithTransaction
    public Uni<SourceLicenses> suspendSource(String tenantId, String sourceId, String hold, String reason) {
        String name = Hold.named(hold);
        String why = reason == null || reason.isBlank() ? null : reason.trim();
        return changeSource(tenantId, sourceId, reason, "Put hold " + name + " on",
                (license, now) -> license.holdable() && license.hold(name, why, now));
    }

    /**
     * Lifts {@code hold} (the operator's when null) from every license of the source that has it,
     * whatever its status or expiry (a late payment lifts the invoice's hold); each is active again
     * once no hold is left on it. Counts the licenses it was lifted from: none when none had it.
     */
    @WithTransaction
    public Uni<SourceLicenses> reinstateSource(String tenantId, String sourceId, String hold, String reason) {
        String name = Hold.named(hold);
        return changeSource(tenantId, sourceId, reason, "Lifted hold " + name + " from", (license, now) -> license.lift(name, now));
    }

    /**
     * Expires at once, in one transaction, every license of this tenant bought with {@code sourceId}
     * that is active or suspended now: its subscription ended. Each runs out now if it ran longer,
     * under every key it has had, and no renewal extends it again. Revoked and expired licenses are
     * left as they are. Safe to repeat, like {@link #revokeSource}.
     */
    @WithTransaction
    public Uni<SourceLicenses> expireSource(String tenantId, String sourceId, String reason) {
        // By stored status, whatever the clock says: one that ran out by its date would otherwise stay
        // renewable, and a late payment of an invoice of the ended subscription would revive it.
        return changeSource(tenantId, sourceId, reason, "Expired", when((license, now) -> license.holdable(), License::expire));
    }

    /** A change made to each license that {@code applies} to. */
    private static BiPredicate<License, Instant> when(BiPredicate<License, Instant> applies, BiConsumer<License, Instant> change) {
        return (license, now) -> {
            if (!applies.test(license, now)) {
                return false;
            }
            change.accept(license, now);
            return true;
        };
    }

    /**
     * Locks the source's licenses and makes {@code change} to each, which says whether it changed
     * that one; concurrent calls change each once.
     */
    private Uni<SourceLicenses> changeSource(String tenantId, String sourceId, String reason, String done,
                                             BiPredicate<License, Instant> change) {
        return licenses.lockSource(tenantId, sourceId).map(found -> {
            Instant now = now();
            int changed = 0;
            for (License license : found) {
                if (change.test(license, now)) {
                    changed++;
                }
            }
            if (changed > 0) {
                // On one line, whatever the caller sent. A hold keeps its reason too; the log has every change's.
                LOG.infof("%s %d license(s) of source %s in tenant %s; reason: %s", done, changed, sourceId, tenantId,
                        reason == null || reason.isBlank() ? "none given" : reason.replaceAll("\\p{Cntrl}", " "));
            }
            return new SourceLicenses(sourceId, changed, found);
        });
    }

    // In microseconds, as PostgreSQL keeps it: an expiry brought forward reads later as answered now.
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Signature first (a key we did not sign says nothing), then the stored license, whatever its
     * tenant: revoked, expired, suspended, or valid; unknown when it is not stored here. The issuing
     * tenant is the stored license's (a key issued before keys named their tenant has none of its own),
     * else the key's.
     */
    public Uni<Verification> verify(String key) {
        LicenseKeyVerifier.Result signed = keys.verifier().verifySignature(key);
        if (!signed.valid()) {
            return Uni.createFrom().item(Verification.unreadable(signed.reason() == LicenseKeyVerifier.Reason.MALFORMED
                    ? Verification.Reason.MALFORMED : Verification.Reason.BAD_SIGNATURE));
        }
        LicenseKeyVerifier.Claims claims = signed.claims();
        return licenses.findForVerification(claims.licenseId()).chain(license -> {
            if (license == null) {
                return Uni.createFrom().item(unknown(claims));
            }
            if (license.licenseKey.equals(key.trim())) {
                return Uni.createFrom().item(verified(license, license.expiresAt));
            }
            // A key a renewal replaced runs to its own expiry, one a seat change replaced stopped then;
            // either with the license's status, and never past the license's expiry.
            return supersededKeys.find(license.id, key.trim()).map(earlier -> earlier == null ? unknown(claims)
                    : verified(license, earlier.verifiesUntil(license)));
        });
    }

    /** Another deployment's license under the same key, or one this database lost. */
    private static Verification unknown(LicenseKeyVerifier.Claims claims) {
        return new Verification(Verification.Reason.UNKNOWN, claims.licenseId(), claims.tenantId(), claims.productCode(),
                claims.customerId(), claims.expiresAt());
    }

    /** A key of the license that runs until {@code expiresAt}: revoked, expired, suspended or valid. */
    private static Verification verified(License license, Instant expiresAt) {
        Instant now = Instant.now();
        LicenseStatus status = license.statusAt(now);
        Verification.Reason reason = status == LicenseStatus.REVOKED ? Verification.Reason.REVOKED
                : status == LicenseStatus.EXPIRED || !now.isBefore(expiresAt) ? Verification.Reason.EXPIRED
                : status == LicenseStatus.SUSPENDED ? Verification.Reason.SUSPENDED
                : Verification.Reason.VALID;
        return new Verification(reason, license.id, license.tenantId, license.productCode, license.customerId, expiresAt);
    }

    private static DomainException notFound(UUID id) {
        return new NotFound("No license " + id);
    }
}
