package io.dotmac.billing.stripe;

import java.util.UUID;

/**
 * What Stripe is asked to give back for one payment: plain values, like {@link ChargeRequest}, so
 * that the worker thread that talks to Stripe never touches an entity or a database session.
 *
 * @param paymentIntentId the PaymentIntent Stripe took the payment on
 * @param amountMinor the payment's whole amount in minor units (cents)
 * @param subscriptionEnded whether the refund's first step ended the subscription the payment started
 */
public record RefundRequest(UUID paymentId, String tenantId, String quoteId, String paymentIntentId, long amountMinor,
                            boolean subscriptionEnded) {
}
