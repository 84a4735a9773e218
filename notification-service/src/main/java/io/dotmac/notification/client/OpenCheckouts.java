package io.dotmac.notification.client;

import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.QuotePayment;
import io.dotmac.common.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * The guard before a payment request email: asks billing-service, which owns payments, for the
 * quote's payment with the caller's token ({@link PaidQuotes}), and lets the email go only while its
 * customer can still pay on its Stripe Checkout page: a link to a paid, failed or closed payment
 * would only confuse them. Everything the email says comes from that answer, never from the caller.
 * Asked outside any database transaction, like {@link ActiveOrders}.
 */
@ApplicationScoped
public class OpenCheckouts {

    private final PaidQuotes payments;

    OpenCheckouts(PaidQuotes payments) {
        this.payments = payments;
    }

    /**
     * The quote's pending payment with a checkout page open now; a 409 that says why not (never
     * naming the customer's address), a 503 if billing-service cannot be asked.
     */
    public Uni<QuotePayment> requireOpen(String quoteId) {
        return payments.payment(quoteId).map(payment -> {
            String closed = whyClosed(payment);
            if (closed != null) {
                throw new ProblemException(409, "No payment request for quote " + quoteId + ": " + closed);
            }
            return payment;
        });
    }

    private static String whyClosed(QuotePayment payment) {
        if (payment == null) {
            return "billing-service has no payment for it";
        }
        String what = "its payment " + payment.id();
        if (QuotePayment.SUCCEEDED.equals(payment.status())) {
            return what + " is already paid";
        }
        if (QuotePayment.FAILED.equals(payment.status())) {
            return what + " failed";
        }
        if (!QuotePayment.PENDING.equals(payment.status())) {
            return what + " is " + payment.status() + ", not pending";
        }
        if (isBlank(payment.checkoutUrl())) {
            return what + " has no checkout page (the payment is confirmed without the customer)";
        }
        if (payment.checkoutExpiresAt() == null || !payment.checkoutExpiresAt().isAfter(OffsetDateTime.now())) {
            return "the checkout session of " + what + " expired"
                    + (payment.checkoutExpiresAt() == null ? "" : " at " + payment.checkoutExpiresAt());
        }
        if (isBlank(payment.customerEmail())) {
            return what + " has no customer email to send the link to";
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
