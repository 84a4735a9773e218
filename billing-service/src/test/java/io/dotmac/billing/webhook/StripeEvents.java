package io.dotmac.billing.webhook;

import com.stripe.Stripe;
import io.dotmac.standin.stripe.StripeSignature;
import java.time.Instant;

/**
 * Stripe webhook events as Stripe sends them, and their {@code Stripe-Signature} ({@link StripeSignature}:
 * Stripe's scheme computed by hand, so the test checks the service against it, not against stripe-java).
 */
public final class StripeEvents {

    private StripeEvents() {
    }

    static String signature(String payload, String secret, long timestamp) {
        return StripeSignature.of(payload, secret, timestamp);
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String event(String id, String type, String object) {
        return event(id, type, object, now());
    }

    /** An event Stripe made at {@code created} (Unix seconds): the order reports are applied in. */
    static String event(String id, String type, String object, long created) {
        return event(id, type, object, created, Stripe.API_VERSION);
    }

    /** An event of the webhook endpoint's {@code apiVersion}. */
    static String event(String id, String type, String object, long created, String apiVersion) {
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "%s",
                  "created": %d,
                  "data": {"object": %s},
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": null, "idempotency_key": null},
                  "type": "%s"
                }""".formatted(id, apiVersion, created, object, type);
    }

    /** A PaymentIntent with its metadata as billing-service sets it; {@code lastError} may be null. */
    static String paymentIntent(String id, String status, long amount, String paymentId, String quote, String tenant,
                                String lastError) {
        String error = lastError == null ? "null" : """
                {"code": "card_declined", "decline_code": "insufficient_funds", "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                 "message": "%s", "type": "card_error"}""".formatted(lastError);
        return """
                {"id": "%s", "object": "payment_intent", "amount": %d, "amount_received": %d, "capture_method": "automatic_async",
                 "client_secret": "%s_secret_test", "confirmation_method": "automatic", "created": %d, "currency": "usd",
                 "customer": null, "description": "Quote %s", "last_payment_error": %s, "latest_charge": "ch_%s", "livemode": false,
                 "metadata": {"payment_id": "%s", "quote_id": "%s", "tenant_id": "%s"}, "payment_method": "pm_test",
                 "payment_method_types": ["card"], "status": "%s"}"""
                .formatted(id, amount, "succeeded".equals(status) ? amount : 0, id, now(), quote, error, id.substring(3),
                        paymentId, quote, tenant, status);
    }

    static String charge(String paymentIntentId, long amount, long refunded) {
        return """
                {"id": "ch_%s", "object": "charge", "amount": %d, "amount_captured": %d, "amount_refunded": %d, "captured": true,
                 "created": %d, "currency": "usd", "customer": null, "livemode": false, "metadata": {}, "paid": true,
                 "payment_intent": "%s", "refunded": %s, "status": "succeeded"}"""
                .formatted(paymentIntentId.substring(3), amount, amount, refunded, now(), paymentIntentId, refunded == amount);
    }

    /** A Checkout Session with its metadata as billing-service sets it; {@code paymentIntent} may be null. */
    static String checkoutSession(String id, String status, String paymentStatus, String paymentIntent, String paymentId,
                                  String quote, String tenant) {
        return """
                {"id": "%s", "object": "checkout.session", "amount_total": 1000, "client_reference_id": "%s", "created": %d,
                 "currency": "usd", "customer": null, "expires_at": %d, "livemode": false,
                 "metadata": {"payment_id": "%s", "quote_id": "%s", "tenant_id": "%s"}, "mode": "payment",
                 "payment_intent": %s, "payment_status": "%s", "status": "%s", "url": null}"""
                .formatted(id, paymentId, now(), now() + 3600, paymentId, quote, tenant,
                        paymentIntent == null ? "null" : "\"" + paymentIntent + "\"", paymentStatus, status);
    }

    /**
     * A subscription of one item with its metadata as billing sets it ({@code tenant} null: none),
     * its current period (Unix seconds) on the item, as Stripe's API reports it since 2025-03.
     */
    public static String subscription(String id, String status, boolean cancelAtPeriodEnd, String quote, String tenant,
                               long periodStart, long periodEnd) {
        String metadata = tenant == null ? "{}" : """
                {"quote_id": "%s", "tenant_id": "%s"}""".formatted(quote, tenant);
        return """
                {"id": "%s", "object": "subscription", "cancel_at_period_end": %s, "canceled_at": %s, "ended_at": %s, "created": %d,
                 "currency": "usd", "customer": "cus_%s", "livemode": false, "metadata": %s, "status": "%s",
                 "items": {"object": "list", "has_more": false, "url": "/v1/subscription_items?subscription=%s", "data": [
                   {"id": "si_%s", "object": "subscription_item", "quantity": 3, "subscription": "%s",
                    "current_period_start": %d, "current_period_end": %d}]}}"""
                .formatted(id, cancelAtPeriodEnd, "canceled".equals(status) || cancelAtPeriodEnd ? String.valueOf(periodStart + 60) : "null",
                        "canceled".equals(status) ? String.valueOf(periodEnd) : "null", periodStart,
                        id.substring(4), metadata, status, id, id.substring(4), id, periodStart, periodEnd);
    }

    /**
     * A subscription's invoice as Stripe sends it: its own period ({@code invoicePeriod*}, for a
     * renewal the period just ended) and one line per (start, end, proration 0 or 1) triple in
     * {@code lines}, the subscription's metadata under {@code parent.subscription_details}.
     */
    public static String invoice(String id, String subscription, String status, long amountDue, long amountPaid, int attemptCount,
                                 String quote, String tenant, long invoicePeriodStart, long invoicePeriodEnd, long... lines) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < lines.length; i += 3) {
            items.append(i == 0 ? "" : ",").append("""
                    {"id": "il_%s_%d", "object": "line_item", "amount": %d, "currency": "usd", "quantity": 3,
                     "period": {"start": %d, "end": %d},
                     "parent": {"type": "subscription_item_details", "invoice_item_details": null,
                                "subscription_item_details": {"proration": %s, "subscription": "%s", "subscription_item": "si_1"}}}"""
                    .formatted(id, i, amountDue, lines[i], lines[i + 1], lines[i + 2] == 1, subscription));
        }
        String metadata = tenant == null ? "{}" : """
                {"quote_id": "%s", "tenant_id": "%s"}""".formatted(quote, tenant);
        return """
                {"id": "%s", "object": "invoice", "amount_due": %d, "amount_paid": %d, "amount_remaining": %d, "attempt_count": %d,
                 "billing_reason": "subscription_cycle", "created": %d, "currency": "usd", "customer": "cus_%s",
                 "hosted_invoice_url": "https://invoice.stripe.com/i/%s", "livemode": false, "period_start": %d, "period_end": %d,
                 "status": "%s", "status_transitions": {"paid_at": %s},
                 "parent": {"type": "subscription_details", "quote_details": null,
                            "subscription_details": {"metadata": %s, "subscription": "%s"}},
                 "lines": {"object": "list", "has_more": false, "url": "/v1/invoices/%s/lines", "data": [%s]}}"""
                .formatted(id, amountDue, amountPaid, amountDue - amountPaid, attemptCount, invoicePeriodEnd, subscription.substring(4),
                        id, invoicePeriodStart, invoicePeriodEnd, status, "paid".equals(status) ? String.valueOf(invoicePeriodEnd) : "null",
                        metadata, subscription, id, items);
    }
}
