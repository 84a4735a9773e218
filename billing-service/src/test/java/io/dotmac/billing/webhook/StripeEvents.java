package io.dotmac.billing.webhook;

import com.stripe.Stripe;
import io.dotmac.standin.stripe.StripeSignature;
import java.time.Instant;

/**
 * Stripe webhook events as Stripe sends them, and their {@code Stripe-Signature} ({@link StripeSignature}:
 * Stripe's scheme computed by hand, so the test checks the service against it, not against stripe-java).
 */
final class StripeEvents {

    private StripeEvents() {
    }

    static String signature(String payload, String secret, long timestamp) {
        return StripeSignature.of(payload, secret, timestamp);
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String event(String id, String type, String object) {
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
                }""".formatted(id, Stripe.API_VERSION, now(), object, type);
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
}
