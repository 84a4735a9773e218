package io.dotmac.crm.lead;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.crm.catalog.ProductRepository;
import io.dotmac.crm.client.SlugRegistry;
import io.dotmac.crm.config.CrmConfig;
import io.dotmac.crm.config.Timestamps;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.JDBCException;
import org.jboss.logging.Logger;

/** Leads of a tenant: taking them in, and qualifying them by the vendor's rules. */
@ApplicationScoped
public class LeadService {

    private static final Logger LOG = Logger.getLogger(LeadService.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final LeadRepository leads;
    private final ProductRepository products;
    private final CrmConfig config;
    private final Clock clock;
    private final Funnel funnel;
    private final SlugRegistry slugs;

    LeadService(LeadRepository leads, ProductRepository products, CrmConfig config, Clock clock, Funnel funnel,
                SlugRegistry slugs) {
        this.leads = leads;
        this.products = products;
        this.config = config;
        this.clock = clock;
        this.funnel = funnel;
        this.slugs = slugs;
    }

    /** Stores a new lead of the tenant; its fields are checked for presence here, for merit by qualification. */
    @WithTransaction
    public Uni<Lead> create(String tenantId, Lead lead) {
        OffsetDateTime now = Timestamps.now(clock);
        lead.id = UUID.randomUUID();
        lead.tenantId = tenantId;
        lead.status = LeadStatus.NEW;
        lead.qualificationReasons = List.of();
        lead.createdAt = now;
        lead.updatedAt = now;
        return leads.persist(lead).invoke(() -> funnel.reached(Funnel.Stage.LEAD));
    }

    /**
     * The lead a source sends for one of its references (the shop: a cart at checkout): made the first
     * time, found again after, so a retried or doubled request goes on with the same lead. Until the
     * lead is qualified, what was sent last replaces it (nothing is reserved or quoted for it yet).
     * Once qualified, its customer is fixed (the slug is reserved for it; other details sent are
     * found out when the quote is checked against them), and only its products and billing cycle
     * follow what is sent, under the same product rules (422 otherwise), until a quote is accepted.
     * A converted lead is returned as it is.
     */
    @WithTransaction
    public Uni<Lead> fromSource(String tenantId, Lead sent) {
        return leads.lockSourceRef(tenantId, sent.sourceRef)
                .chain(() -> leads.lockBySourceRef(tenantId, sent.sourceRef))
                .chain(found -> found == null ? create(tenantId, sent) : resubmitted(found, sent));
    }

    private Uni<Lead> resubmitted(Lead lead, Lead sent) {
        if (!Objects.equals(lead.source, sent.source)) {
            return Uni.createFrom().failure(new Conflict("source_ref '" + sent.sourceRef + "' is lead " + lead.id
                    + "'s, which came from " + lead.source + ", not " + sent.source));
        }
        OffsetDateTime now = Timestamps.now(clock);
        return switch (lead.status) {
            case NEW, DISQUALIFIED -> {
                lead.resubmitted(sent, now);
                yield Uni.createFrom().item(lead);
            }
            case CONVERTED -> Uni.createFrom().item(lead);
            case QUALIFIED -> lead.products.equals(sent.products) && Objects.equals(lead.billingCycle, sent.billingCycle)
                    ? Uni.createFrom().item(lead)
                    : products.pricesOf(sent.products.stream().map(LeadProduct::productCode).distinct().toList()).map(catalog -> {
                        List<String> reasons = Qualification.productReasons(sent.products, catalog, sent.billingCycle);
                        if (!reasons.isEmpty()) {
                            throw new Unprocessable("Lead " + lead.id + "'s products cannot be changed so: " + String.join("; ", reasons));
                        }
                        lead.productsChanged(sent.products, sent.billingCycle, now);
                        return lead;
                    });
        };
    }

    @WithSession
    public Uni<Lead> get(String tenantId, UUID id) {
        return leads.findOf(tenantId, id).onItem().ifNull().failWith(() -> notFound(id));
    }

    @WithSession
    public Uni<Page<Lead>> list(String tenantId, LeadStatus status, PageRequest page) {
        return leads.listOf(tenantId, status, page);
    }

    /**
     * Qualifies the lead: qualified if every rule passes, otherwise disqualified with the reasons (an
     * outcome, not an error). A qualified lead is returned as it is; a disqualified one is checked
     * again, since what failed (a taken slug, a region) may have changed; a converted one is 409.
     */
    @WithTransaction
    public Uni<Lead> qualify(String tenantId, UUID id) {
        return leads.lockOf(tenantId, id).onItem().ifNull().failWith(() -> notFound(id)).chain(lead -> switch (lead.status) {
            case QUALIFIED -> Uni.createFrom().item(lead);
            case CONVERTED -> Uni.createFrom().failure(new Conflict("Lead " + id + " is converted; a converted lead cannot be qualified again"));
            case NEW, DISQUALIFIED -> evaluate(tenantId, lead);
        });
    }

    private Uni<Lead> evaluate(String tenantId, Lead lead) {
        List<String> codes = lead.products.stream().map(LeadProduct::productCode).distinct().toList();
        Uni<Boolean> slugHeld = Qualification.validSlug(lead.organizationSlug)
                ? leads.lockSlug(tenantId, lead.organizationSlug)
                        .chain(() -> leads.slugHeldByAnother(tenantId, lead.organizationSlug, lead.id))
                : Uni.createFrom().item(false);
        // One after the other: the two queries share the transaction's session.
        return slugHeld.chain(held -> products.pricesOf(codes)
                        .map(catalog -> Qualification.reasonsAgainst(lead, catalog, config.regions(), held)))
                .chain(reasons -> reasons.isEmpty() ? reserveSlug(lead) : Uni.createFrom().item(reasons))
                .map(reasons -> {
                    lead.qualificationOutcome(reasons, Timestamps.now(clock));
                    LOG.infof("lead %s of tenant %s is %s%s", lead.id, tenantId, lead.status.value(),
                            reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
                    return lead;
                })
                .call(done -> done.status == LeadStatus.QUALIFIED ? flushClaimingSlug(done) : Uni.createFrom().voidItem());
    }

    /**
     * Last, once every rule of this tenant passed: the slug reserved platform-wide (sales-service),
     * for as long as a quote generated now would be valid. Taken: the lead is disqualified for it,
     * before any quote or payment exists.
     */
    private Uni<List<String>> reserveSlug(Lead lead) {
        OffsetDateTime until = Timestamps.now(clock).plusDays(config.quote().validityDays() + 1L);
        return slugs.reserve(lead.organizationSlug, lead.id, until).replaceWith(List.<String>of())
                .onFailure(SlugRegistry.SlugTakenException.class).recoverWithItem(List.of(Qualification.SLUG_TAKEN
                        + ": '" + lead.organizationSlug + "' is reserved for another customer of the platform"));
    }

    // The slug lock makes the check above see a slug taken at the same moment; should a lead hold
    // it without having taken the lock, the unique index refuses the second. Flushed here, so
    // that is a 409 that says why, not a failed commit.
    private Uni<Void> flushClaimingSlug(Lead lead) {
        return leads.flush().onFailure(LeadService::isUniqueViolation).transform(e -> new Conflict("organization_slug '" + lead.organizationSlug + "' was taken by another lead qualified at the same time;"
                        + " qualifying again will disqualify this lead with that reason"));
    }

    // Hibernate Reactive reports it as its ConstraintViolationException over an SQLException.
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = t instanceof SQLException sql ? sql.getSQLState()
                    : t instanceof JDBCException jdbc ? jdbc.getSQLState()
                    : t instanceof PgException pg ? pg.getSqlState() : null;
            if (UNIQUE_VIOLATION.equals(state)) {
                return true;
            }
        }
        return false;
    }

    static DomainException notFound(UUID id) {
        return new NotFound("No lead with id '" + id + "'");
    }
}
