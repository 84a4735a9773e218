package io.dotmac.billing.payment.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A payment as the API shows it (the billing-service contract). {@code checkout_url} is the page the
 * customer pays on, open until {@code checkout_expires_at}, when payments are taken on Stripe Checkout.
 * A refunded payment says when ({@code refunded_at}) and, when billing made the refund, Stripe's
 * refund ({@code stripe_refund_id}) and the caller's {@code refund_reason}.
 */
public record PaymentResponse(UUID id, String quoteId, BigDecimal amount, String currency, String customerEmail,
                              String status, String stripeCustomerId, String stripePaymentIntentId,
                              String failureMessage, String checkoutUrl, OffsetDateTime checkoutExpiresAt,
                              OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime succeededAt,
                              OffsetDateTime refundedAt, String stripeRefundId, String refundReason) {
}
