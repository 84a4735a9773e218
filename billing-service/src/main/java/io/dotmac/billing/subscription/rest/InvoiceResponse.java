package io.dotmac.billing.subscription.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An invoice of a subscription: what it asks and what was paid, for which period, and where the
 * customer pays it; the subscription and quote it bills.
 */
public record InvoiceResponse(UUID id, UUID subscriptionId, String quoteId, String stripeInvoiceId, String status,
                              BigDecimal amountDue, BigDecimal amountPaid,
                              String currency, OffsetDateTime periodStart, OffsetDateTime periodEnd, String hostedInvoiceUrl,
                              String billingReason, int attemptCount, OffsetDateTime paidAt) {
}
