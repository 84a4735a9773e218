package io.dotmac.billing.stripe;

import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A subscription's invoice as a Stripe event reports it, in this service's terms.
 *
 * <p>The period it pays for is its lines' (the earliest start to the latest end), not Stripe's
 * {@code invoice.period_start}/{@code period_end}: for a renewal those cover the period just ended
 * (what usage was billed for), while the lines cover the one paid in advance; for a seat change's
 * proration the lines run from the change to the period's end. An invoice without dated lines
 * falls back to the invoice's own period.
 *
 * @param subscriptionId Stripe's subscription; null for an invoice of no subscription
 * @param tenantId the subscription's metadata at the invoice's creation (Stripe copies it); null if none
 */
public record StripeInvoice(String id, String subscriptionId, String customerId, String tenantId, String quoteId, String status,
                            BigDecimal amountDue, BigDecimal amountPaid, String currency, OffsetDateTime periodStart,
                            OffsetDateTime periodEnd, String hostedInvoiceUrl, String billingReason, int attemptCount,
                            OffsetDateTime reportedAt) {

    public static StripeInvoice of(Invoice invoice, long eventCreated) {
        var details = invoice.getParent() == null ? null : invoice.getParent().getSubscriptionDetails();
        Map<String, String> metadata = details == null || details.getMetadata() == null ? Map.of() : details.getMetadata();
        List<InvoiceLineItem.Period> periods = invoice.getLines() == null || invoice.getLines().getData() == null ? List.of()
                : invoice.getLines().getData().stream().map(InvoiceLineItem::getPeriod).filter(Objects::nonNull)
                        .filter(p -> p.getStart() != null && p.getEnd() != null).toList();
        Long start = periods.stream().map(InvoiceLineItem.Period::getStart).min(Long::compare).orElse(invoice.getPeriodStart());
        Long end = periods.stream().map(InvoiceLineItem.Period::getEnd).max(Long::compare).orElse(invoice.getPeriodEnd());
        String currency = invoice.getCurrency() == null ? null : invoice.getCurrency().toUpperCase(Locale.ROOT);
        return new StripeInvoice(invoice.getId(), details == null ? null : details.getSubscription(), invoice.getCustomer(),
                metadata.get("tenant_id"), metadata.get("quote_id"), invoice.getStatus(), major(invoice.getAmountDue(), currency),
                major(invoice.getAmountPaid(), currency), currency, StripeSubscription.time(start), StripeSubscription.time(end),
                invoice.getHostedInvoiceUrl(), invoice.getBillingReason(),
                invoice.getAttemptCount() == null ? 0 : invoice.getAttemptCount().intValue(), StripeSubscription.time(eventCreated));
    }

    /** Stripe's minor units in the currency's major unit, exactly (1099 USD cents: 10.99; 500 JPY: 500). */
    static BigDecimal major(Long minor, String currency) {
        if (minor == null) {
            return BigDecimal.ZERO;
        }
        int digits = 2;
        try {
            digits = currency == null ? 2 : Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            // Not an ISO 4217 code: read as cents, the figures stay Stripe's.
        }
        return BigDecimal.valueOf(minor, digits);
    }
}
