package io.dotmac.billing.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.age;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.paymentBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.reconcile;
import static io.dotmac.billing.BillingTestSupport.requestBody;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.billing.reconciliation.PaymentReconciler;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Payments taken the production way, without a configured payment method: the customer pays on a
 * Stripe Checkout Session (through the real stripe-java client against the Stripe stub), whose
 * signed webhooks move the payment: a declined attempt leaves it open for another, completion pays
 * it (its event written once), a session that closes unpaid fails it, "payment not received".
 */
@QuarkusTest
@TestProfile(CheckoutTest.OnStripeCheckout.class)
class CheckoutTest {

    /** No payment method: what production runs with. */
    public static class OnStripeCheckout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.billing.stripe.payment-method", " ", "billing.stripe.payment-method", " ");
        }
    }

    static final String TENANT = unique("tenant");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");

    @Inject
    Pool pool;

    @Inject
    PaymentReconciler reconciler;

    private JsonPath pay(String quote, String amount) {
        return processPayment(OPERATOR, "checkout-" + quote, paymentBody(quote, amount, "USD", "buyer." + quote.substring(0, 8)
                + "@example.com")).extract().jsonPath();
    }

    private static List<LoggedRequest> sessionsCreated(String paymentId) {
        return StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/checkout/sessions"))).stream()
                .filter(request -> form(request).contains("client_reference_id=" + paymentId)).toList();
    }

    private static String form(LoggedRequest request) {
        return URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8);
    }

    private static void deliver(String type, String object) {
        String payload = StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), type, object);
        given().contentType("application/json; charset=utf-8").body(payload)
                .header("Stripe-Signature", StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()))
                .when().post("/api/v1/billing/webhooks/stripe").then().statusCode(200);
    }

    @Test
    void aPaymentOpensOneCheckoutSessionForTheQuotesTotalAndSaysWhereToPay() {
        String quote = UUID.randomUUID().toString();
        JsonPath payment = pay(quote, "120.00");
        String id = payment.getString("id");
        assertEquals("pending", payment.getString("status"));
        assertTrue(payment.getString("checkout_url").startsWith(StripeStub.server().baseUrl() + "/checkout/pay/cs_test_"),
                payment.getString("checkout_url"));
        OffsetDateTime created = OffsetDateTime.parse(payment.getString("created_at"));
        OffsetDateTime closes = OffsetDateTime.parse(payment.getString("checkout_expires_at"));
        // The configured 24 hours, five minutes inside Stripe's limit.
        assertTrue(Math.abs(Duration.between(created.plusHours(24).minusMinutes(5), closes).toSeconds()) <= 2, created + " → " + closes);

        List<LoggedRequest> created1 = sessionsCreated(id);
        assertEquals(1, created1.size());
        String form = form(created1.get(0));
        assertTrue(form.contains("line_items[0][price_data][unit_amount]=12000"), form);
        assertTrue(form.contains("line_items[0][price_data][currency]=usd"), form);
        // A monthly quote: a subscription billed every month, the metadata on it, not on a PaymentIntent.
        assertTrue(form.contains("mode=subscription"), form);
        assertTrue(form.contains("line_items[0][price_data][recurring][interval]=month"), form);
        assertTrue(form.contains("success_url=https://controlplane.local/checkout/paid?session_id={CHECKOUT_SESSION_ID}"), form);
        assertTrue(form.contains("metadata[payment_id]=" + id) && form.contains("subscription_data[metadata][quote_id]=" + quote)
                && form.contains("subscription_data[metadata][tenant_id]=" + TENANT), form);
        assertFalse(form.contains("payment_intent_data"), form);
        assertEquals("month", payment.getString("billing_interval"));
        assertTrue(created1.get(0).getHeader("Idempotency-Key").endsWith("/payment-" + id + ":checkout_session"));

        // Asked again (another request, another key): the same page, and Stripe is not asked again.
        processPayment(OPERATOR, null, paymentBody(quote, "120.00", "USD", "buyer." + quote.substring(0, 8) + "@example.com"))
                .statusCode(200).body("id", equalTo(id)).body("checkout_url", equalTo(payment.getString("checkout_url")));
        assertEquals(1, sessionsCreated(id).size());
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))).stream()
                .filter(request -> form(request).contains(id)).count(), "no PaymentIntent is confirmed by billing itself");
    }

    @Test
    void anAnnualQuoteIsBilledEveryYearAndAQuoteWithoutACycleIsPaidOnce() {
        String annual = UUID.randomUUID().toString();
        Map<String, Object> yearly = CrmStub.quote(annual, "accepted", "1200.00", "USD", "buyer@example.com");
        yearly.put("billing_cycle", "annual");
        CrmStub.serve(yearly);
        String id = processPayment(OPERATOR, null, requestBody(annual, null, null, null)).statusCode(201)
                .body("billing_interval", equalTo("year")).extract().path("id");
        assertTrue(form(sessionsCreated(id).get(0)).contains("line_items[0][price_data][recurring][interval]=year"));

        String once = UUID.randomUUID().toString();
        Map<String, Object> oneOff = CrmStub.quote(once, "accepted", "30.00", "USD", "buyer@example.com");
        oneOff.put("billing_cycle", null);
        CrmStub.serve(oneOff);
        String paymentId = processPayment(OPERATOR, null, requestBody(once, null, null, null)).statusCode(201)
                .body("billing_interval", nullValue()).extract().path("id");
        String form = form(sessionsCreated(paymentId).get(0));
        assertTrue(form.contains("mode=payment") && form.contains("payment_intent_data[metadata][quote_id]=" + once), form);
        assertFalse(form.contains("recurring"), form);

        String weekly = UUID.randomUUID().toString();
        Map<String, Object> everyWeek = CrmStub.quote(weekly, "accepted", "5.00", "USD", "buyer@example.com");
        everyWeek.put("billing_cycle", "weekly");
        CrmStub.serve(everyWeek);
        processPayment(OPERATOR, null, requestBody(weekly, null, null, null)).statusCode(422)
                .body("detail", containsString("billing cycle weekly cannot be billed"));
    }

    @Test
    void aDeclinedAttemptLeavesThePaymentOpenAndTheCompletedSessionPaysItOnce() {
        String quote = UUID.randomUUID().toString();
        JsonPath payment = pay(quote, "80.00");
        String id = payment.getString("id");
        String session = "cs_test_" + id;
        String intent = "pi_" + UUID.randomUUID().toString().replace("-", "");

        deliver("payment_intent.payment_failed", StripeEvents.paymentIntent(intent, "requires_payment_method", 8000, id, quote,
                TENANT, "Your card was declined."));
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("pending"))
                .body("failure_message", equalTo("Your card was declined."));

        String completed = StripeEvents.checkoutSession(session, "complete", "paid", intent, id, quote, TENANT);
        deliver("checkout.session.completed", completed);
        deliver("checkout.session.completed", completed); // Stripe may send an event again, under another id
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("succeeded"))
                .body("stripe_payment_intent_id", equalTo(intent)).body("failure_message", nullValue());
        assertEquals(1, outboxRows(pool, quote).size(), "billing.payment.received written once");
    }

    @Test
    void aSessionThatClosesUnpaidFailsThePaymentNotReceived() {
        String quote = UUID.randomUUID().toString();
        String id = pay(quote, "42.00").getString("id");

        deliver("checkout.session.expired", StripeEvents.checkoutSession("cs_test_" + id, "expired", "unpaid", null, id, quote, TENANT));

        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("failed"))
                .body("failure_message", startsWith("payment not received: the checkout session expired"));
        assertEquals(0, outboxRows(pool, quote).size());
    }

    @Test
    void theReconciliationJobAsksTheSessionNotTheDeclinedAttemptOfAPaymentStillPending() {
        String quote = UUID.randomUUID().toString();
        String id = pay(quote, "15.00").getString("id");
        // A declined attempt records its PaymentIntent; the session, still open, decides all the same.
        deliver("payment_intent.payment_failed", StripeEvents.paymentIntent("pi_" + UUID.randomUUID().toString().replace("-", ""),
                "requires_payment_method", 1500, id, quote, TENANT, "Your card was declined."));
        age(pool, UUID.fromString(id));

        reconcile(reconciler, Duration.ofDays(1));

        assertEquals(1, StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/checkout/sessions/cs_test_" + id))).size());
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("pending"))
                .body("failure_message", equalTo("Your card was declined."));
    }
}
