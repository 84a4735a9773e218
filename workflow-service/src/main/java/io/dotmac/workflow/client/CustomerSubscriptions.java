package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A customer's subscription as billing-service has it, for the console to show beside their
 * journeys, and set to end at its period's end or to renew again from there: read and changed with
 * the caller's own token ({@link Downstream}), so billing's tenancy and roles decide, not the
 * engine's. billing's answers are passed on as they are.
 */
@ApplicationScoped
public class CustomerSubscriptions {

    /** A quote starts one subscription; a few more would be a refund and a new purchase's, all shown. */
    private static final int MOST = 5;

    private final BillingRestClient billing;
    private final JsonWebToken caller;

    CustomerSubscriptions(@RestClient BillingRestClient billing, JsonWebToken caller) {
        this.billing = billing;
        this.caller = caller;
    }

    /** The quote's subscriptions, newest first, each with its invoices. */
    public Uni<List<JsonNode>> ofQuote(String quoteId) {
        String token = Downstream.bearer(caller);
        return billing.listSubscriptions(quoteId, MOST, token)
                .onFailure().transform(e -> failure("reading the subscriptions of quote " + quoteId, e))
                .chain(page -> Multi.createFrom().iterable(page.path("items"))
                        .onItem().transformToUniAndConcatenate(item -> billing.getSubscription(item.path("id").asText(), token)
                                .onFailure().transform(e -> failure("reading subscription " + item.path("id").asText(), e)))
                        .collect().asList());
    }

    /** Sets the subscription to end at its period's end ({@code cancel}) or to renew again: billing's answer. */
    public Uni<JsonNode> endAtPeriodEnd(String subscriptionId, boolean cancel, String idempotencyKey, String reason) {
        Map<String, Object> body = reason == null ? Map.of() : Map.of("reason", reason);
        return billing.endAtPeriodEnd(subscriptionId, cancel ? "cancel" : "resume", idempotencyKey, body, Downstream.bearer(caller))
                .onFailure().transform(e -> failure((cancel ? "cancelling" : "resuming") + " subscription " + subscriptionId, e));
    }

    // billing's own refusals (none such, ended, an invalid reason or key) are the caller's, in billing's words.
    private static DomainException failure(String doing, Throwable e) {
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status == 404) {
                return new NotFound("billing-service knows no such subscription (" + doing + ")");
            }
            if (status == 409) {
                return new Conflict("billing-service refused " + doing + ": " + detail(web, "the subscription has ended"));
            }
            if (status == 400) {
                return new InvalidRequest("billing-service refused " + doing + ": " + detail(web, "the request is invalid"));
            }
            if (status == 422) {
                return new Unprocessable("billing-service refused " + doing + ": " + detail(web, "it cannot be done"));
            }
        }
        return Downstream.failure("billing-service", doing, e);
    }

    private static String detail(WebApplicationException web, String otherwise) {
        try {
            return web.getResponse().readEntity(JsonNode.class).path("detail").asText(otherwise);
        } catch (RuntimeException unreadable) {
            return otherwise;
        }
    }
}
