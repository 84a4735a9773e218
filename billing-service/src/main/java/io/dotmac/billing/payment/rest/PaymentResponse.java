package io.dotmac.billing.payment.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A payment as the API shows it (the billing-service contract). {@code checkout_url} is the page the
 * customer pays on, open until {@code checkout_expires_at}, when payments are taken on Stripe Checkout.
 * A refunded payment says when ({@code refunded_at}) and, when billing made the refund, Stripe's
 * refund ({@code stripe_refund_id}) and the caller's {@code refund_reason}. A quote billed every
 * {@code billing_interval} ({@code month}, {@code year}) is paid by the first invoice
 * ({@code stripe_invoice_id}) of the subscription the payment starts ({@code stripe_subscription_id}),
 * whose PaymentIntent is named once a refund asked for it; a one-off payment has no interval.
 */
public record PaymentResponse(UUID id, String quoteId, BigDecimal amount, String currency, String customerEmail,
                              String status, String billingInterval, String stripeCustomerId, String stripeSubscriptionId,
                              String stripeInvoiceId, String stripePaymentIntentId,
                              String failureMessage, String checkoutUrl, OffsetDateTime checkoutExpiresAt,
                              OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime succeededAt,
                              OffsetDateTime refundedAt, String stripeRefundId, String refundReason) {
}
