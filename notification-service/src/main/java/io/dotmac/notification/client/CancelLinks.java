package io.dotmac.notification.client;

import io.dotmac.common.client.Downstream;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The link a receipt offers its customer to cancel the subscription at its period's end, signed by
 * billing-service, which owns subscriptions, when asked with the caller's token (only the engine's
 * and an admin's may ask: the link cancels). Best effort: a receipt is worth sending without it
 * (billing's links not configured, an operator's token, billing unavailable), so no answer is null.
 */
@ApplicationScoped
public class CancelLinks {

    private static final Logger LOG = Logger.getLogger(CancelLinks.class);

    private final BillingLinksRestClient billing;
    private final JsonWebToken caller;

    CancelLinks(@RestClient BillingLinksRestClient billing, JsonWebToken caller) {
        this.billing = billing;
        this.caller = caller;
    }

    /** The link that cancels {@code subscriptionId}, or null when billing-service gives none. */
    public Uni<String> of(String subscriptionId) {
        if (subscriptionId == null) {
            return Uni.createFrom().nullItem();
        }
        return billing.cancelLink(subscriptionId, Downstream.bearer(caller)).map(BillingLinksRestClient.Link::url)
                .onFailure().recoverWithItem(e -> {
                    LOG.infof("No cancellation link for subscription %s in its receipt: %s", subscriptionId, Downstream.rootMessage(e));
                    return null;
                });
    }
}
