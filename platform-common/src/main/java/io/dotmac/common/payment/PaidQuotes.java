package io.dotmac.common.payment;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.Conflict;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guard that keeps a customer from being provisioned or licensed before paying: asks
 * billing-service, which owns payments, for the quote's payment at the moment of the check, with
 * the caller's token ({@link Downstream}). Asked, not copied from {@code billing.payment.received}:
 * a copy lags behind the event, and a check that answers "not paid yet" for a paid quote would
 * fail a journey that is fine; billing being down is a 503 the engine retries. The payment itself
 * ({@link #payment}) serves those that act on it, such as the email with its checkout link.
 */
@ApplicationScoped
public class PaidQuotes {

    private final BillingPaymentsRestClient billing;
    private final JsonWebToken caller;

    PaidQuotes(@RestClient BillingPaymentsRestClient billing, JsonWebToken caller) {
        this.billing = billing;
        this.caller = caller;
    }

    /**
     * The quote's succeeded payment, which must be of exactly {@code total} in {@code currency}
     * when they are given; otherwise a 409 that names the payment's state, for {@code what} (e.g.
     * "order 7 cannot be activated").
     */
    public Uni<QuotePayment> requirePaid(String quoteId, BigDecimal total, String currency, String what) {
        return payment(quoteId)
                .map(payment -> {
                    if (payment == null) {
                        throw new Conflict(what + ": quote " + quoteId + " has no payment");
                    }
                    if (!QuotePayment.SUCCEEDED.equals(payment.status())) {
                        throw new Conflict(what + ": the payment " + payment.id() + " of quote " + quoteId
                                + " is " + payment.status() + ", not succeeded");
                    }
                    if (total != null && (payment.amount() == null || payment.amount().compareTo(total) != 0
                            || currency != null && !currency.equalsIgnoreCase(payment.currency()))) {
                        throw new Conflict(what + ": the payment " + payment.id() + " of quote " + quoteId
                                + " is " + payment.amount() + " " + payment.currency() + ", not the " + total + " " + currency
                                + " due");
                    }
                    return payment;
                });
    }

    /**
     * The quote's payment as billing-service has it now, or null when it has none (its 404: what
     * that refuses is the caller's to say); a 503 when billing cannot be asked ({@link Downstream}).
     */
    public Uni<QuotePayment> payment(String quoteId) {
        return billing.byQuote(quoteId, Downstream.bearer(caller))
                .onFailure(Downstream::isNotFound).recoverWithNull()
                .onFailure().transform(e -> Downstream.failure("billing-service", "reading the payment of quote " + quoteId, e));
    }
}
