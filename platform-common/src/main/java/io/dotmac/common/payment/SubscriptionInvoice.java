package io.dotmac.common.payment;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * An invoice of a subscription as billing-service serves it ({@code GET /api/v1/billing/invoices/{id}}):
 * what a renewal extends licenses to ({@code period_end}, the end of the period it pays for) and
 * what a receipt says.
 */
@RegisterForReflection
public record SubscriptionInvoice(String id, String subscriptionId, String quoteId, String stripeInvoiceId, String status,
                                  BigDecimal amountDue, BigDecimal amountPaid, String currency, OffsetDateTime periodStart,
                                  OffsetDateTime periodEnd, String hostedInvoiceUrl, String billingReason, OffsetDateTime paidAt) {

    public static final String PAID = "paid";

    /** Whether it names the quote {@code quoteId} (crm's ids, in any case). */
    public boolean bills(String quoteId) {
        return this.quoteId != null && this.quoteId.equalsIgnoreCase(quoteId);
    }
}
