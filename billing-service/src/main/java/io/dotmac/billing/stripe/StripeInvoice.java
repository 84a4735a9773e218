package io.dotmac.billing.stripe;

import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A subscription's invoice as a Stripe event reports it, in this service's terms.
 *
 * <p>The period it pays for is its subscription lines' (the earliest start to the latest end), not
 * Stripe's {@code invoice.period_start}/{@code period_end}: for a renewal those cover the period
 * just ended, while its lines cover the one paid in advance. Prorations a renewal carries (a seat
 * change made during the period) and one-off items do not count; an invoice of prorations only (a
 * seat change billed at once) pays from the change to the period's end; one without dated lines
 * falls back to the invoice's own period. Amounts are in cents: billing opens subscriptions only in
 * currencies that have them ({@code Money.currency}), as it takes payments.
 *
 * @param subscriptionId Stripe's subscription; null for an invoice of no subscription
 * @param tenantId the subscription's metadata at the invoice's creation (Stripe copies it); null if none
 * @param paidAt when Stripe says it was paid ({@code status_transitions.paid_at}); null if not
 */
public record StripeInvoice(String id, String subscriptionId, String customerId, String tenantId, String quoteId, String status,
                            BigDecimal amountDue, BigDecimal amountPaid, String currency, OffsetDateTime periodStart,
                            OffsetDateTime periodEnd, String hostedInvoiceUrl, String billingReason, int attemptCount,
                            OffsetDateTime paidAt, OffsetDateTime reportedAt) {

    public static StripeInvoice of(Invoice invoice, long eventCreated) {
        var details = invoice.getParent() == null ? null : invoice.getParent().getSubscriptionDetails();
        Map<String, String> metadata = details == null || details.getMetadata() == null ? Map.of() : details.getMetadata();
        List<InvoiceLineItem> lines = invoice.getLines() == null || invoice.getLines().getData() == null ? List.of()
                : invoice.getLines().getData();
        List<InvoiceLineItem.Period> periods = periods(lines.stream().filter(StripeInvoice::subscriptionCharge).toList());
        if (periods.isEmpty()) {
            periods = periods(lines);
        }
        Long start = periods.stream().map(InvoiceLineItem.Period::getStart).min(Long::compare).orElse(invoice.getPeriodStart());
        Long end = periods.stream().map(InvoiceLineItem.Period::getEnd).max(Long::compare).orElse(invoice.getPeriodEnd());
        String currency = invoice.getCurrency() == null ? null : invoice.getCurrency().toUpperCase(Locale.ROOT);
        return new StripeInvoice(invoice.getId(), details == null ? null : details.getSubscription(), invoice.getCustomer(),
                metadata.get("tenant_id"), metadata.get("quote_id"), invoice.getStatus(), major(invoice.getAmountDue()),
                major(invoice.getAmountPaid()), currency, StripeSubscription.time(start), StripeSubscription.time(end),
                invoice.getHostedInvoiceUrl(), invoice.getBillingReason(),
                invoice.getAttemptCount() == null ? 0 : invoice.getAttemptCount().intValue(),
                StripeSubscription.time(invoice.getStatusTransitions() == null ? null : invoice.getStatusTransitions().getPaidAt()),
                StripeSubscription.time(eventCreated));
    }

    /** A line of the subscription's own price for a period, not a proration or a one-off item. */
    private static boolean subscriptionCharge(InvoiceLineItem line) {
        var details = line.getParent() == null ? null : line.getParent().getSubscriptionItemDetails();
        return details != null && !Boolean.TRUE.equals(details.getProration());
    }

    private static List<InvoiceLineItem.Period> periods(List<InvoiceLineItem> lines) {
        return lines.stream().map(InvoiceLineItem::getPeriod).filter(Objects::nonNull)
                .filter(p -> p.getStart() != null && p.getEnd() != null).toList();
    }

    /** Stripe's cents in the major unit, exactly (1099: 10.99). */
    static BigDecimal major(Long cents) {
        return cents == null ? BigDecimal.ZERO.setScale(2) : BigDecimal.valueOf(cents, 2);
    }
}
