package io.dotmac.billing.subscription.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A seat change as the API shows it: {@code status} pending, awaiting_payment (the card declined:
 * Stripe applies it if the invoice is paid), applied or expired; {@code sequence} orders the
 * subscription's changes; the proration's figures are Stripe's (credited for the unused time at
 * the old price, charged for the rest at the new; prorated their sum, the invoice's total).
 */
public record SeatChangeResponse(UUID id, String quoteId, UUID subscriptionId, String subscriptionQuoteId, String stripeSubscriptionId,
                                 int sequence, String status, BigDecimal amount, String currency, BigDecimal proratedAmount,
                                 BigDecimal creditedAmount, BigDecimal chargedAmount, String stripeInvoiceId, OffsetDateTime createdAt,
                                 OffsetDateTime updatedAt) {
}
