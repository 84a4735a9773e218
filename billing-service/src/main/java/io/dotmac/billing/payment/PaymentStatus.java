package io.dotmac.billing.payment;

import java.util.Locale;
import java.util.Set;

/**
 * Where a payment stands. Stripe is the source of truth, and its webhooks may arrive late or out
 * of order, so the allowed moves are the ones Stripe can report: a failed PaymentIntent may still
 * succeed later (the customer retried), a succeeded one may be refunded, nothing leaves refunded.
 */
public enum PaymentStatus {
    PENDING, SUCCEEDED, FAILED, REFUNDED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean canBecome(PaymentStatus next) {
        return switch (this) {
            case PENDING -> Set.of(SUCCEEDED, FAILED, REFUNDED).contains(next);
            case FAILED -> next == SUCCEEDED;
            case SUCCEEDED -> next == REFUNDED;
            case REFUNDED -> false;
        };
    }

    /**
     * Our status for a PaymentIntent status: {@code succeeded} is paid; {@code canceled}, or
     * {@code requires_payment_method} after a failed attempt, is failed; anything else
     * ({@code processing}, {@code requires_action}, unconfirmed) waits for the webhook.
     */
    public static PaymentStatus fromStripe(String paymentIntentStatus, boolean attemptFailed) {
        if (paymentIntentStatus == null) {
            return PENDING;
        }
        return switch (paymentIntentStatus) {
            case "succeeded" -> SUCCEEDED;
            case "canceled" -> FAILED;
            case "requires_payment_method" -> attemptFailed ? FAILED : PENDING;
            default -> PENDING;
        };
    }
}
