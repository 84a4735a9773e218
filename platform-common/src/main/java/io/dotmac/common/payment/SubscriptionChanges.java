package io.dotmac.common.payment;

import io.dotmac.common.client.Downstream;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads a seat change of a subscription from billing-service, which makes it at Stripe and knows
 * whether its proration was paid, at the moment of the check and with the caller's token
 * ({@link Downstream}), as {@link PaidInvoices} reads an invoice: an accepted change quote says what
 * was asked for, only billing says whether it was paid for, and in which order the subscription's
 * changes were made.
 */
@ApplicationScoped
public class SubscriptionChanges {

    private final BillingSubscriptionChangesRestClient billing;
    private final JsonWebToken caller;

    SubscriptionChanges(@RestClient BillingSubscriptionChangesRestClient billing, JsonWebToken caller) {
        this.billing = billing;
        this.caller = caller;
    }

    /**
     * The change made for the change quote {@code quoteId} as billing-service has it now, or null when it
     * has none (its 404: what that refuses is the caller's to say); a 503 when billing cannot be asked.
     */
    public Uni<SubscriptionChange> change(String quoteId) {
        return billing.byQuote(quoteId, Downstream.bearer(caller))
                .onFailure(Downstream::isNotFound).recoverWithNull()
                .onFailure().transform(e -> Downstream.failure("billing-service", "reading the seat change of quote " + quoteId, e));
    }
}
