package io.dotmac.billing.stripe;

import java.time.Instant;

/**
 * A Checkout Session as Stripe reports it: where the customer pays, until when, and how far they got.
 *
 * @param status {@code open}, {@code complete} or {@code expired}
 * @param paymentStatus {@code unpaid}, {@code paid} or {@code no_payment_required}
 * @param paymentIntentId null until the customer has tried to pay; always null in subscription mode
 * @param subscriptionId in subscription mode, once paid: the subscription it started
 * @param invoiceId in subscription mode, once paid: that subscription's first invoice
 */
public record StripeCheckout(String sessionId, String url, Instant expiresAt, String status, String paymentStatus,
                             String paymentIntentId, String customerId, String subscriptionId, String invoiceId) {

    public boolean paid() {
        return "complete".equals(status) && "paid".equals(paymentStatus);
    }

    public boolean expired() {
        return "expired".equals(status);
    }
}
