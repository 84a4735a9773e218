package io.dotmac.billing.stripe;

import java.util.UUID;

/**
 * What Stripe is asked to charge for one payment: plain values, so that the worker thread that
 * talks to Stripe never touches an entity or a database session.
 *
 * @param idempotencyKey the payment's prefix of Stripe Idempotency-Keys
 * @param amountMinor the amount in minor units (cents)
 * @param customerEmail may be null: then the PaymentIntent has no customer
 * @param billingInterval {@code month} or {@code year}: the customer pays on Checkout for a
 *                        subscription billed so; null: once (and always once when confirmed here)
 */
public record ChargeRequest(UUID paymentId, String tenantId, String quoteId, long amountMinor, String currency,
                            String customerEmail, String billingInterval, String idempotencyKey) {
}
