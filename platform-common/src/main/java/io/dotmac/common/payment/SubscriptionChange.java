package io.dotmac.common.payment;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A seat change of a subscription as billing-service serves it
 * ({@code GET /api/v1/billing/subscriptions/changes/{quoteId}}), made for a quote of kind change
 * ({@code quote_id}) to the subscription the quote {@code subscription_quote_id} started. It gives
 * seats only once {@code status} is applied (its proration paid; before: pending, awaiting_payment,
 * or expired unpaid); {@code sequence} (1, 2, …) is the
 * order billing applied the subscription's changes at Stripe, so a reader can tell the newest.
 */
@RegisterForReflection
public record SubscriptionChange(String id, String quoteId, String subscriptionId, String subscriptionQuoteId, int sequence,
                                 String status, BigDecimal amount, String currency, BigDecimal proratedAmount,
                                 String stripeInvoiceId, OffsetDateTime createdAt) {

    /** Its one status that gives seats; the others are pending, awaiting_payment and expired. */
    public static final String APPLIED = "applied";

    public boolean applied() {
        return APPLIED.equals(status);
    }

    /** Whether it changes the subscription the quote {@code quoteId} started (crm's ids, in any case). */
    public boolean changes(String quoteId) {
        return subscriptionQuoteId != null && subscriptionQuoteId.equalsIgnoreCase(quoteId);
    }
}
