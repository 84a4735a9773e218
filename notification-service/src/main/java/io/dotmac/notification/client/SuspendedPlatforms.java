package io.dotmac.notification.client;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.Conflict;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guard before telling a customer their platform is suspended: asks sales-service, which owns
 * the platforms, with the caller's token. A caller's word is not enough to have a customer told
 * their access is blocked, nor to use up the one such email of an invoice before it is true.
 */
@ApplicationScoped
public class SuspendedPlatforms {

    private static final String SUSPENDED = "suspended";

    private final SalesTenantsRestClient sales;
    private final JsonWebToken caller;

    SuspendedPlatforms(@RestClient SalesTenantsRestClient sales, JsonWebToken caller) {
        this.sales = sales;
        this.caller = caller;
    }

    /** Nothing if sales reports the quote's platform suspended; 409 otherwise; 503 if sales-service cannot be asked. */
    public Uni<Void> requireSuspended(String invoiceId, String quoteId) {
        String refusal = "No payment reminder for invoice " + invoiceId + ": ";
        return sales.byQuote(quoteId, Downstream.bearer(caller))
                .onFailure(Downstream::isNotFound).recoverWithNull()
                .onFailure().transform(e -> Downstream.failure("sales-service", "reading the platform of quote " + quoteId, e))
                .invoke(platform -> {
                    if (platform == null) {
                        throw new Conflict(refusal + "sales-service has no platform of quote " + quoteId);
                    }
                    if (!SUSPENDED.equals(platform.status())) {
                        throw new Conflict(refusal + "sales-service reports the platform of quote " + quoteId + " "
                                + platform.status() + ", not suspended");
                    }
                })
                .replaceWithVoid();
    }
}
