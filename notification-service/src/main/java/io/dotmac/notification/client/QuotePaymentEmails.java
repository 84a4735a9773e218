package io.dotmac.notification.client;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.QuotePayment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.function.Function;

/**
 * The guards before an email about a quote's payment: each asks billing-service, which owns
 * payments, for the quote's payment with the caller's token ({@link PaidQuotes}), and lets its email
 * go only for a payment in the state that email speaks of. Everything the email says (to whom, how
 * much, where to pay, what became of the money) comes from that answer, never from the caller: an
 * email is what a customer acts on. Asked outside any database transaction, like {@link ActiveOrders}.
 */
@ApplicationScoped
public class QuotePaymentEmails {

    private final PaidQuotes payments;

    QuotePaymentEmails(PaidQuotes payments) {
        this.payments = payments;
    }

    /**
     * For the payment request: the quote's pending payment with a checkout page open now. A link to
     * a paid, failed or closed payment would only confuse its customer.
     */
    public Uni<QuotePayment> requireOpenCheckout(String quoteId) {
        return requireOpenCheckout(quoteId, "No payment request");
    }

    /** {@link #requireOpenCheckout(String)} for another email asking to pay there, whose refusals begin {@code email}. */
    public Uni<QuotePayment> requireOpenCheckout(String quoteId, String email) {
        return require(quoteId, email, QuotePaymentEmails::whyClosed);
    }

    /**
     * For the journey-failed email: the quote's refunded or failed payment, once billing holds none
     * of the customer's money. Telling them "we could not set up your platform" while billing still
     * holds their payment would be a promise nobody has kept yet, so a succeeded payment is refused
     * until the refund is through, and a pending one until it is decided.
     */
    public Uni<QuotePayment> requireUndone(String quoteId) {
        return require(quoteId, "No journey-failed email", QuotePaymentEmails::whyNotUndone);
    }

    /**
     * The quote's payment if {@code whyNot} has nothing against it; otherwise a 409 "{@code email}
     * for quote …: why not" (never naming the customer's address), also when billing has no payment
     * of the quote or no customer to write to; a 503 if billing-service cannot be asked.
     */
    private Uni<QuotePayment> require(String quoteId, String email, Function<QuotePayment, String> whyNot) {
        return payments.payment(quoteId).map(payment -> {
            String refused = payment == null ? "billing-service has no payment for it" : whyNot.apply(payment);
            if (refused == null && isBlank(payment.customerEmail())) {
                refused = "its payment " + payment.id() + " has no customer email to write to";
            }
            if (refused != null) {
                throw new Conflict(email + " for quote " + quoteId + ": " + refused);
            }
            return payment;
        });
    }

    private static String whyClosed(QuotePayment payment) {
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
        return null;
    }

    private static String whyNotUndone(QuotePayment payment) {
        String what = "its payment " + payment.id();
        return switch (String.valueOf(payment.status())) {
            case QuotePayment.REFUNDED, QuotePayment.FAILED -> null;
            case QuotePayment.SUCCEEDED -> what + " succeeded: refund the payment first: the customer is told once the money is back";
            case QuotePayment.PENDING -> what + " is pending: the payment is not decided yet";
            default -> what + " is " + payment.status() + ", neither refunded nor failed";
        };
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
