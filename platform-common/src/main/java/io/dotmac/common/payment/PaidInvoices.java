package io.dotmac.common.payment;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The guard of what a subscription's invoice pays for: asks billing-service, which owns invoices,
 * at the moment of the check, with the caller's token ({@link Downstream}), as {@link PaidQuotes}
 * does for a quote's payment. An event saying an invoice was paid proves nothing by itself.
 */
@ApplicationScoped
public class PaidInvoices {

    private final BillingInvoicesRestClient billing;
    private final JsonWebToken caller;

    PaidInvoices(@RestClient BillingInvoicesRestClient billing, JsonWebToken caller) {
        this.billing = billing;
        this.caller = caller;
    }

    /**
     * The invoice, which must be paid (409 otherwise) and bill the quote {@code quoteId} (422 if it
     * bills another; an invoice unknown to billing in the caller's tenant is 422 too), for
     * {@code what} (e.g. "licenses of quote 7 cannot be renewed").
     */
    public Uni<SubscriptionInvoice> requirePaid(String invoiceId, String quoteId, String what) {
        return invoice(invoiceId).map(invoice -> {
            if (invoice == null) {
                throw new Unprocessable(what + ": billing-service knows no invoice " + invoiceId);
            }
            if (!invoice.bills(quoteId)) {
                throw new Unprocessable(what + ": invoice " + invoiceId + " bills quote " + invoice.quoteId() + ", not " + quoteId);
            }
            if (!SubscriptionInvoice.PAID.equals(invoice.status())) {
                throw new Conflict(what + ": invoice " + invoiceId + " is " + invoice.status() + ", not paid");
            }
            if (invoice.periodEnd() == null) {
                throw new Conflict(what + ": invoice " + invoiceId + " names no period it pays for");
            }
            return invoice;
        });
    }

    /** The invoice as billing-service has it now, or null when it has none (its 404); 503 when billing cannot be asked. */
    public Uni<SubscriptionInvoice> invoice(String invoiceId) {
        return billing.get(invoiceId, Downstream.bearer(caller))
                .onFailure(Downstream::isNotFound).recoverWithNull()
                .onFailure().transform(e -> Downstream.failure("billing-service", "reading invoice " + invoiceId, e));
    }
}
