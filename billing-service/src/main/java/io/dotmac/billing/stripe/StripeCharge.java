package io.dotmac.billing.stripe;

/**
 * What Stripe answered for a charge: the customer and PaymentIntent it used, the PaymentIntent's
 * status, and Stripe's message when the payment was declined.
 *
 * @param customerId null when the payment has no customer email
 * @param paymentIntentId null only when a decline came without a PaymentIntent
 * @param status the PaymentIntent's status ({@code succeeded}, {@code processing}, ...)
 * @param failureMessage Stripe's message for the failed attempt, or null
 */
public record StripeCharge(String customerId, String paymentIntentId, String status, String failureMessage) {

    public boolean attemptFailed() {
        return failureMessage != null;
    }
}
