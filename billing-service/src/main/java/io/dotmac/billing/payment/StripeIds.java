package io.dotmac.billing.payment;

/**
 * What Stripe names about a payment, as a webhook or an answer reports it; any may be null.
 *
 * @param subscriptionId the subscription a Checkout Session in subscription mode started
 * @param invoiceId that subscription's first invoice, the one the customer paid
 */
public record StripeIds(String paymentIntentId, String customerId, String subscriptionId, String invoiceId) {

    public static StripeIds ofIntent(String paymentIntentId, String customerId) {
        return new StripeIds(paymentIntentId, customerId, null, null);
    }
}
