package io.dotmac.billing.subscription.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as the API shows it, as Stripe's webhooks last reported it; {@code invoices}, the
 * latest period first, only in the answer for one subscription.
 */
public record SubscriptionResponse(UUID id, String quoteId, String stripeSubscriptionId, String stripeCustomerId, String status,
                                   boolean cancelAtPeriodEnd, OffsetDateTime currentPeriodStart, OffsetDateTime currentPeriodEnd,
                                   OffsetDateTime canceledAt, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                                   List<InvoiceResponse> invoices) {
}
