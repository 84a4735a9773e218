package io.dotmac.notification.client;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.payment.PaidInvoices;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.QuotePayment;
import io.dotmac.common.payment.SubscriptionInvoice;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * The guards before an email about a subscription's invoice: each asks billing-service, which owns
 * invoices and payments, for the invoice and for the payment of its quote (whose customer is the
 * one to write to), with the caller's token, and lets its email go only for an invoice in the
 * state that email speaks of. What it says comes from those answers, never from the caller. Asked
 * outside any database transaction, like {@link QuotePaymentEmails}.
 */
@ApplicationScoped
public class InvoiceEmails {

    /** Stripe's status of an invoice that is due and not paid: the one whose collection failed. */
    private static final String OPEN = "open";

    /**
     * What an email about an invoice is written from: the invoice, the payment of its quote (its
     * customer), and for a receipt the link that cancels the subscription (null when billing gives none).
     */
    public record Billed(SubscriptionInvoice invoice, QuotePayment payment, String cancelUrl) {
    }

    private final PaidInvoices invoices;
    private final PaidQuotes payments;
    private final CancelLinks cancelLinks;

    InvoiceEmails(PaidInvoices invoices, PaidQuotes payments, CancelLinks cancelLinks) {
        this.invoices = invoices;
        this.payments = payments;
        this.cancelLinks = cancelLinks;
    }

    /**
     * For the receipt: the paid invoice, with the amount paid and the period it pays for, and the
     * link with which the customer may cancel before the next one.
     */
    public Uni<Billed> requirePaid(String invoiceId) {
        return require(invoiceId, "No receipt", InvoiceEmails::whyNotPaid)
                .chain(paid -> cancelLinks.of(paid.invoice().subscriptionId())
                        .map(link -> new Billed(paid.invoice(), paid.payment(), link)));
    }

    /**
     * For the dunning emails: the open invoice, with the amount due, its period and the page where
     * the customer pays it. Asking a customer to pay what is paid, void or written off would only
     * have them pay twice or for nothing.
     */
    public Uni<Billed> requireUnpaid(String invoiceId) {
        return require(invoiceId, "No payment reminder", InvoiceEmails::whyNotOpen);
    }

    /**
     * The invoice and its quote's payment if {@code whyNot} has nothing against the invoice;
     * otherwise a 409 "{@code email} for invoice …: why not", also when billing has no such invoice
     * or its quote no payment with a customer email; a 503 if billing-service cannot be asked.
     */
    private Uni<Billed> require(String invoiceId, String email, Function<SubscriptionInvoice, String> whyNot) {
        String refusal = email + " for invoice " + invoiceId + ": ";
        return invoices.invoice(invoiceId).chain(invoice -> {
            String refused = invoice == null ? "billing-service has no such invoice" : whyNot.apply(invoice);
            if (refused != null) {
                throw new Conflict(refusal + refused);
            }
            return payments.payment(invoice.quoteId()).map(payment -> {
                if (payment == null || payment.customerEmail() == null || payment.customerEmail().isBlank()) {
                    throw new Conflict(refusal + "quote " + invoice.quoteId() + " has no payment with a customer email to write to");
                }
                return new Billed(invoice, payment, null);
            });
        });
    }

    private static String whyNotPaid(SubscriptionInvoice invoice) {
        if (!SubscriptionInvoice.PAID.equals(invoice.status()) || invoice.amountPaid() == null
                || invoice.periodStart() == null || invoice.periodEnd() == null) {
            return "it is " + invoice.status() + ", not paid";
        }
        return null;
    }

    private static String whyNotOpen(SubscriptionInvoice invoice) {
        if (!OPEN.equals(invoice.status())) {
            return "it is " + invoice.status();
        }
        if (invoice.amountDue() == null || invoice.periodStart() == null || invoice.periodEnd() == null
                || invoice.hostedInvoiceUrl() == null || invoice.hostedInvoiceUrl().isBlank()) {
            return "billing-service reports no amount due, period or invoice page to pay on for it";
        }
        return null;
    }
}
