package io.dotmac.notification.client;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.payment.PaidInvoices;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.QuotePayment;
import io.dotmac.common.payment.SubscriptionInvoice;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The guard before a receipt: asks billing-service, which owns invoices and payments, for the
 * invoice and for the payment of its quote (whose customer is the one to write to), with the
 * caller's token, and lets the receipt go only for a paid invoice. What it says comes from those
 * answers, never from the caller. Asked outside any database transaction, like {@link QuotePaymentEmails}.
 */
@ApplicationScoped
public class InvoiceReceipts {

    /** What a receipt is written from: the paid invoice, and the payment of its quote (its customer). */
    public record Receipt(SubscriptionInvoice invoice, QuotePayment payment) {
    }

    private final PaidInvoices invoices;
    private final PaidQuotes payments;

    InvoiceReceipts(PaidInvoices invoices, PaidQuotes payments) {
        this.invoices = invoices;
        this.payments = payments;
    }

    /**
     * The paid invoice and its quote's payment; a 409 "No receipt for invoice …: why not" when
     * billing has no such invoice, it is not paid, or its quote has no payment with a customer
     * email; a 503 if billing-service cannot be asked.
     */
    public Uni<Receipt> requirePaid(String invoiceId) {
        String refusal = "No receipt for invoice " + invoiceId + ": ";
        return invoices.invoice(invoiceId).chain(invoice -> {
            if (invoice == null) {
                throw new Conflict(refusal + "billing-service has no such invoice");
            }
            if (!SubscriptionInvoice.PAID.equals(invoice.status()) || invoice.amountPaid() == null
                    || invoice.periodStart() == null || invoice.periodEnd() == null) {
                throw new Conflict(refusal + "it is " + invoice.status() + ", not paid");
            }
            return payments.payment(invoice.quoteId()).map(payment -> {
                if (payment == null || payment.customerEmail() == null || payment.customerEmail().isBlank()) {
                    throw new Conflict(refusal + "quote " + invoice.quoteId() + " has no payment with a customer email to write to");
                }
                return new Receipt(invoice, payment);
            });
        });
    }
}
