package io.dotmac.crm.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * A lead's organization slug, reserved with sales-service, which owns slugs platform-wide: a slug is
 * a subdomain, so a lead of another vendor tenant may hold it although no lead of this one does.
 * Called on behalf of the caller ({@link Downstream}); sales-service down is a 503.
 */
@ApplicationScoped
public class SlugRegistry {

    private static final Logger LOG = Logger.getLogger(SlugRegistry.class);

    /** The slug is someone else's. */
    public static final class SlugTakenException extends RuntimeException {
        SlugTakenException(String slug) {
            super("organization slug '" + slug + "' is taken");
        }
    }

    private final SalesRestClient sales;
    private final JsonWebToken caller;

    SlugRegistry(@RestClient SalesRestClient sales, JsonWebToken caller) {
        this.sales = sales;
        this.caller = caller;
    }

    /** Reserves (or extends) the slug for the lead until {@code expiresAt} (null: for good); fails with {@link SlugTakenException}. */
    public Uni<Void> reserve(String slug, UUID leadId, OffsetDateTime expiresAt) {
        return sales.reserve(slug, new SalesRestClient.Reserve(leadId.toString(), expiresAt), Downstream.bearer(caller))
                .onFailure().transform(e -> e instanceof WebApplicationException web && web.getResponse().getStatus() == 409
                        ? new SlugTakenException(slug)
                        : Downstream.failure("sales-service", "reserving organization slug '" + slug + "'", e));
    }

    /**
     * Frees the lead's reservation (its quote was rejected). Best effort: if sales-service cannot
     * be told now, the reservation still ends when it expires.
     */
    public Uni<Void> release(String slug, UUID leadId) {
        return sales.release(slug, leadId.toString(), Downstream.bearer(caller)).onFailure().recoverWithUni(e -> {
            if (!Downstream.isNotFound(e)) {
                LOG.warnf("organization slug '%s' of lead %s stays reserved until it expires: %s", slug, leadId,
                        Downstream.failure("sales-service", "releasing it", e).getMessage());
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Frees the slug the lead holds for good for its accepted quote {@code quoteId}, which sales-service
     * agrees to only once billing reports the quote's payment failed and no order of it exists; a lead
     * that holds it no more (freed before) is done. A 409 otherwise; 503 if sales cannot be asked.
     */
    public Uni<Void> releaseUnpaid(String slug, UUID leadId, UUID quoteId) {
        return sales.releaseUnpaid(slug, leadId.toString(), quoteId.toString(), Downstream.bearer(caller))
                .onFailure(Downstream::isNotFound).recoverWithNull()
                .onFailure().transform(e -> e instanceof WebApplicationException web && web.getResponse().getStatus() == 409
                        ? new Conflict("sales-service keeps organization slug '" + slug + "' for lead " + leadId
                                + ": billing does not report the payment of quote " + quoteId + " failed, or the quote has an order")
                        : Downstream.failure("sales-service", "freeing organization slug '" + slug + "'", e))
                .replaceWithVoid();
    }

    /** The problem a caller gets when the slug is taken at a step that cannot disqualify the lead. */
    public static DomainException takenProblem(SlugTakenException e) {
        return new Conflict(e.getMessage() + " by another customer of the platform");
    }
}
