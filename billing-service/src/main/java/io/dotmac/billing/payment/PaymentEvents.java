package io.dotmac.billing.payment;

import io.dotmac.common.outbox.OutboxEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events billing emits, as outbox rows keyed by the quote: {@code billing.payment.received}
 * when a payment succeeded (what starts work), and {@code billing.payment.updated} whenever a
 * payment's status changes (succeeded, failed, refunded), so that whatever waits for a payment to
 * be decided wakes at once, however it was decided.
 */
final class PaymentEvents {

    static final String PAYMENT_RECEIVED = "billing.payment.received";
    static final String PAYMENT_UPDATED = "billing.payment.updated";

    private PaymentEvents() {
    }

    static OutboxEvent received(Payment payment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment_id", payment.id.toString());
        data.put("quote_id", payment.quoteId);
        data.put("amount", payment.amount);
        data.put("currency", payment.currency);
        data.put("customer_email", payment.customerEmail);
        data.put("stripe_customer_id", payment.stripeCustomerId);
        data.put("stripe_payment_intent_id", payment.stripePaymentIntentId);
        // A quote billed every month or year: the subscription the payment started (its PaymentIntent is the first invoice's).
        data.put("billing_interval", payment.billingInterval);
        data.put("stripe_subscription_id", payment.stripeSubscriptionId);
        data.put("tenant_id", payment.tenantId);
        return OutboxEvent.of(PAYMENT_RECEIVED, payment.quoteId, PAYMENT_RECEIVED, payment.tenantId, data);
    }

    static OutboxEvent updated(Payment payment) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment_id", payment.id.toString());
        data.put("quote_id", payment.quoteId);
        data.put("status", payment.status.value());
        data.put("amount", payment.amount);
        data.put("currency", payment.currency);
        data.put("failure_message", payment.failureMessage);
        data.put("tenant_id", payment.tenantId);
        return OutboxEvent.of(PAYMENT_UPDATED, payment.quoteId, PAYMENT_UPDATED, payment.tenantId, data);
    }
}
