package io.dotmac.billing.subscription;

import io.dotmac.common.outbox.OutboxEvent;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events of subscriptions, as outbox rows keyed by Stripe's subscription id (what a dunning
 * journey waits on): {@code billing.invoice.paid} once per invoice, when it is first reported paid;
 * {@code billing.invoice.payment_failed} once per failed attempt Stripe reports;
 * {@code billing.subscription.cancelled} once, when the subscription has ended.
 */
final class SubscriptionEvents {

    static final String INVOICE_PAID = "billing.invoice.paid";
    static final String INVOICE_PAYMENT_FAILED = "billing.invoice.payment_failed";
    static final String SUBSCRIPTION_CANCELLED = "billing.subscription.cancelled";

    private SubscriptionEvents() {
    }

    static OutboxEvent invoicePaid(Subscription subscription, SubscriptionInvoice invoice) {
        return OutboxEvent.of(INVOICE_PAID, subscription.stripeSubscriptionId, INVOICE_PAID, subscription.tenantId,
                invoice(subscription, invoice));
    }

    static OutboxEvent invoicePaymentFailed(Subscription subscription, SubscriptionInvoice invoice) {
        return OutboxEvent.of(INVOICE_PAYMENT_FAILED, subscription.stripeSubscriptionId, INVOICE_PAYMENT_FAILED,
                subscription.tenantId, invoice(subscription, invoice));
    }

    static OutboxEvent cancelled(Subscription subscription, OffsetDateTime endedAt) {
        Map<String, Object> data = subject(subscription);
        data.put("canceled_at", iso(subscription.canceledAt));
        data.put("ended_at", iso(endedAt));
        data.put("current_period_end", iso(subscription.currentPeriodEnd));
        return OutboxEvent.of(SUBSCRIPTION_CANCELLED, subscription.stripeSubscriptionId, SUBSCRIPTION_CANCELLED,
                subscription.tenantId, data);
    }

    private static Map<String, Object> invoice(Subscription subscription, SubscriptionInvoice invoice) {
        Map<String, Object> data = subject(subscription);
        data.put("invoice_id", invoice.id.toString());
        data.put("stripe_invoice_id", invoice.stripeInvoiceId);
        data.put("status", invoice.status);
        data.put("amount_due", invoice.amountDue);
        data.put("amount_paid", invoice.amountPaid);
        data.put("currency", invoice.currency);
        data.put("period_start", iso(invoice.periodStart));
        data.put("period_end", iso(invoice.periodEnd));
        data.put("hosted_invoice_url", invoice.hostedInvoiceUrl);
        data.put("billing_reason", invoice.billingReason);
        data.put("attempt_count", invoice.attemptCount);
        return data;
    }

    // ISO 8601 with seconds, as the API writes times.
    private static String iso(OffsetDateTime time) {
        return time == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }

    private static Map<String, Object> subject(Subscription subscription) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription_id", subscription.id.toString());
        data.put("stripe_subscription_id", subscription.stripeSubscriptionId);
        data.put("quote_id", subscription.quoteId);
        data.put("tenant_id", subscription.tenantId);
        return data;
    }
}
