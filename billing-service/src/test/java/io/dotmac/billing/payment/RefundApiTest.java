package io.dotmac.billing.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.EXACT_NUMBERS;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.paymentBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Refunds over HTTP with real tokens, against the Stripe stub through the real stripe-java client:
 * what Stripe is asked (the PaymentIntent, the payment's Idempotency-Key), that a payment is refunded
 * at Stripe once however often and concurrently asked, what is recorded and emitted, and what is
 * refused with Stripe left alone.
 */
@QuarkusTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class RefundApiTest {

    static final String TENANT = unique("tenant");
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String UPDATED = "billing.payment.updated";

    @Inject
    Pool pool;

    final WireMockServer stripe = StripeStub.server();

    /** A payment Stripe took for a new quote, in the given state by the customer's email (see the stub's mappings). */
    private static String[] payment(String quote, String emailPrefix, String status) {
        var created = processPayment(SERVICE, UUID.randomUUID() + ":process_payment",
                paymentBody(quote, "1200.00", "USD", unique(emailPrefix) + "@example.com"))
                .statusCode(201).body("status", equalTo(status)).extract();
        return new String[] {created.path("id"), created.path("stripe_payment_intent_id")};
    }

    private static ValidatableResponse refund(String token, String key, String id, String body) {
        RequestSpecification request = given().config(EXACT_NUMBERS).auth().oauth2(token);
        if (body != null) {
            request.contentType(ContentType.JSON).body(body);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/billing/payments/" + id + "/refund").then();
    }

    private static RequestPatternBuilder refundsOf(String paymentId) {
        return postRequestedFor(urlPathEqualTo("/v1/refunds")).withFormParam("metadata[payment_id]", WireMock.equalTo(paymentId));
    }

    /** Until removed, Stripe answers the payment's refunds so, before the stub's own mapping. */
    private StubMapping stripeAnswersRefundsOf(String paymentId, int status, String body) {
        return stripe.stubFor(post(urlPathEqualTo("/v1/refunds"))
                .withFormParam("metadata[payment_id]", WireMock.equalTo(paymentId)).atPriority(0)
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static String lastPayload(List<Object[]> rows) {
        return ((String) rows.get(rows.size() - 1)[1]).replace(" ", "");
    }

    @Test
    void aSucceededPaymentIsRefundedOnceAtStripeAndTheChangeIsEmitted() {
        String quote = UUID.randomUUID().toString();
        String[] payment = payment(quote, "buyer", "succeeded");

        refund(OPERATOR, UUID.randomUUID() + ":refund", payment[0], "{\"reason\": \"  The journey failed for good  \"}")
                .statusCode(200)
                .body("id", equalTo(payment[0]))
                .body("status", equalTo("refunded"))
                .body("stripe_payment_intent_id", equalTo(payment[1]))
                .body("stripe_refund_id", equalTo("re_" + payment[0].replace("-", "")))
                .body("refund_reason", equalTo("The journey failed for good"))
                .body("refunded_at", notNullValue())
                .body("succeeded_at", notNullValue());

        // Stripe was asked once: the PaymentIntent, in full, keyed by the payment, its metadata naming it.
        stripe.verify(1, refundsOf(payment[0])
                .withFormParam("payment_intent", WireMock.equalTo(payment[1]))
                .withFormParam("amount", WireMock.equalTo("120000"))
                .withFormParam("reason", WireMock.equalTo("requested_by_customer"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote))
                .withFormParam("metadata[tenant_id]", WireMock.equalTo(TENANT))
                .withHeader("Idempotency-Key", WireMock.equalTo(payment[0] + ":refund"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + StripeStub.API_KEY)));
        assertTrue(stripe.findAll(refundsOf(payment[0])).get(0).getBodyAsString().indexOf("The journey") < 0,
                "the caller's reason stays with billing");

        get(READER, "/api/v1/billing/payments/" + payment[0]).statusCode(200)
                .body("status", equalTo("refunded")).body("refund_reason", equalTo("The journey failed for good"));

        // billing.payment.updated: succeeded, then refunded; billing.payment.received stays the one of the payment.
        List<Object[]> updated = outboxRows(pool, UPDATED, quote);
        assertEquals(2, updated.size());
        assertTrue(lastPayload(updated).contains("\"status\":\"refunded\""), lastPayload(updated));
        assertTrue(lastPayload(updated).contains("\"payment_id\":\"" + payment[0] + "\""), lastPayload(updated));
        assertEquals(1, outboxRows(pool, quote).size());
    }

    @Test
    void aRefundedPaymentIsAnsweredUnchangedWithoutStripeByAnyCaller() {
        String quote = UUID.randomUUID().toString();
        String[] payment = payment(quote, "buyer", "succeeded");
        String refundedAt = refund(SERVICE, null, payment[0], null).statusCode(200)
                .body("status", equalTo("refunded")).body("refund_reason", nullValue())
                .extract().path("refunded_at");

        // Again, by the journey with another key, by an admin with a reason: the same payment, no second refund.
        String again = refund(SERVICE, UUID.randomUUID() + ":refund", payment[0], "{}").statusCode(200)
                .body("status", equalTo("refunded")).extract().path("refunded_at");
        assertEquals(OffsetDateTime.parse(refundedAt).toInstant(), OffsetDateTime.parse(again).toInstant());
        refund(ADMIN, null, payment[0], "{\"reason\": \"asked twice\"}").statusCode(200)
                .body("status", equalTo("refunded")).body("refund_reason", nullValue());
        stripe.verify(1, refundsOf(payment[0]));
        assertEquals(2, outboxRows(pool, UPDATED, quote).size(), "no second billing.payment.updated");
    }

    @Test
    void concurrentRefundsMakeOneRefundAtStripe() throws Exception {
        String quote = UUID.randomUUID().toString();
        String[] payment = payment(quote, "buyer", "succeeded");
        ExecutorService callers = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Object[]>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // Different keys and none: a journey and operators at once.
                String key = i == 0 ? null : UUID.randomUUID() + ":refund";
                String token = i % 2 == 0 ? SERVICE : OPERATOR;
                calls.add(callers.submit(() -> {
                    start.await();
                    var response = refund(token, key, payment[0], null).extract();
                    return new Object[] {response.statusCode(), response.path("status"), response.path("stripe_refund_id")};
                }));
            }
            start.countDown();
            for (Future<Object[]> call : calls) {
                Object[] answer = call.get(60, TimeUnit.SECONDS);
                assertEquals(200, answer[0]);
                assertEquals("refunded", answer[1]);
                assertEquals("re_" + payment[0].replace("-", ""), answer[2]);
            }
        } finally {
            callers.shutdownNow();
        }
        stripe.verify(1, refundsOf(payment[0]));
        assertEquals(2, outboxRows(pool, UPDATED, quote).size());
    }

    @Test
    void theSameIdempotencyKeyReplaysTheRefundAndAnotherRequestWithItIs422() {
        String[] first = payment(UUID.randomUUID().toString(), "buyer", "succeeded");
        String[] second = payment(UUID.randomUUID().toString(), "buyer", "succeeded");
        String key = UUID.randomUUID() + ":refund";
        refund(SERVICE, key, first[0], "{\"reason\": \"failed journey\"}").statusCode(200).body("status", equalTo("refunded"));

        refund(SERVICE, key, first[0], "{\"reason\": \"failed journey\"}").statusCode(200)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first[0])).body("status", equalTo("refunded"));
        // The key belongs to that refund: another reason, another payment, are other requests.
        refund(SERVICE, key, first[0], "{\"reason\": \"another\"}").statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("already used"));
        refund(SERVICE, key, second[0], null).statusCode(422).contentType("application/problem+json");
        stripe.verify(1, refundsOf(first[0]));
        stripe.verify(0, refundsOf(second[0]));
        get(READER, "/api/v1/billing/payments/" + second[0]).statusCode(200).body("status", equalTo("succeeded"));
    }

    @Test
    void onlyASucceededPaymentIsRefunded() {
        String[] pending = payment(UUID.randomUUID().toString(), "pending", "pending");
        refund(OPERATOR, null, pending[0], null).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is pending"));
        String[] failed = payment(UUID.randomUUID().toString(), "declined", "failed");
        refund(OPERATOR, UUID.randomUUID() + ":refund", failed[0], null).statusCode(409)
                .body("detail", containsString("is failed"));
        get(READER, "/api/v1/billing/payments/" + pending[0]).statusCode(200).body("status", equalTo("pending"));
        get(READER, "/api/v1/billing/payments/" + failed[0]).statusCode(200).body("status", equalTo("failed"));
        stripe.verify(0, refundsOf(pending[0]));
        stripe.verify(0, refundsOf(failed[0]));
    }

    @Test
    void aRefundWithoutBodyNeedsNoContentTypeButABodyMustBeJson() throws Exception {
        String[] payment = payment(UUID.randomUUID().toString(), "buyer", "succeeded");
        given().auth().oauth2(OPERATOR).contentType(ContentType.URLENC).body("reason=form")
                .when().post("/api/v1/billing/payments/" + payment[0] + "/refund").then().statusCode(415);
        stripe.verify(0, refundsOf(payment[0]));
        // As curl -X POST sends it: no body, no Content-Type.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/billing/payments/" + payment[0] + "/refund"))
                .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().replace(" ", "").contains("\"status\":\"refunded\""), response.body());
        stripe.verify(1, refundsOf(payment[0]));
    }

    @Test
    void refundsNeedAWritersTokenOfThePaymentsTenant() {
        String[] payment = payment(UUID.randomUUID().toString(), "buyer", "succeeded");
        refund(READER, null, payment[0], null).statusCode(403).contentType("application/problem+json");
        given().when().post("/api/v1/billing/payments/" + payment[0] + "/refund").then()
                .statusCode(401).contentType("application/problem+json");
        // Another tenant's payment, an unknown one, no id at all: 404, not 403.
        refund(TestTokens.token(unique("tenant"), "admin"), null, payment[0], null).statusCode(404)
                .contentType("application/problem+json");
        refund(OPERATOR, null, UUID.randomUUID().toString(), null).statusCode(404);
        refund(OPERATOR, null, "not-a-uuid", null).statusCode(404);
        stripe.verify(0, refundsOf(payment[0]));
        get(READER, "/api/v1/billing/payments/" + payment[0]).statusCode(200).body("status", equalTo("succeeded"));
    }

    @Test
    void anInvalidReasonIs400AndRefundsNothing() {
        String[] payment = payment(UUID.randomUUID().toString(), "buyer", "succeeded");
        refund(OPERATOR, null, payment[0], "{\"reason\": \"" + "x".repeat(501) + "\"}").statusCode(400)
                .contentType("application/problem+json").body("detail", startsWith("reason:"));
        refund(OPERATOR, null, payment[0], "{\"reason\": \"line one\\nline two\"}").statusCode(400)
                .body("detail", containsString("control characters"));
        refund(OPERATOR, null, payment[0], "{\"reason\": \"bell\\u0007\"}").statusCode(400)
                .body("detail", startsWith("reason:"));
        refund(OPERATOR, null, payment[0], "{\"reason\": 12").statusCode(400).contentType("application/problem+json");
        stripe.verify(0, refundsOf(payment[0]));
        // 500 characters are a reason.
        refund(OPERATOR, null, payment[0], "{\"reason\": \"" + "x".repeat(500) + "\"}").statusCode(200)
                .body("status", equalTo("refunded"));
    }

    @Test
    void stripeDownIs503TheRetryUsesTheSameKeyAndRefundsOnce() {
        String quote = UUID.randomUUID().toString();
        String[] payment = payment(quote, "buyer", "succeeded");
        StubMapping down = stripeAnswersRefundsOf(payment[0], 500,
                "{\"error\": {\"message\": \"An unknown error occurred\", \"type\": \"api_error\"}}");
        try {
            refund(SERVICE, UUID.randomUUID() + ":refund", payment[0], null).statusCode(503)
                    .contentType("application/problem+json")
                    .body("detail", containsString("stays succeeded"));
        } finally {
            stripe.removeStub(down);
        }
        assertEquals(3, stripe.findAll(refundsOf(payment[0])).size(), "one request and two retries by stripe-java");
        get(READER, "/api/v1/billing/payments/" + payment[0]).statusCode(200)
                .body("status", equalTo("succeeded")).body("refunded_at", nullValue()).body("stripe_refund_id", nullValue());
        assertEquals(1, outboxRows(pool, UPDATED, quote).size(), "nothing emitted for the failed refund");

        refund(SERVICE, UUID.randomUUID() + ":refund", payment[0], null).statusCode(200).body("status", equalTo("refunded"));
        List<LoggedRequest> attempts = stripe.findAll(refundsOf(payment[0]));
        assertEquals(4, attempts.size());
        assertTrue(attempts.stream().allMatch(r -> (payment[0] + ":refund").equals(r.getHeader("Idempotency-Key"))));
    }

    @Test
    void aRefundStripeFailsIs502AndThePaymentStaysSucceeded() {
        String quote = UUID.randomUUID().toString();
        String[] payment = payment(quote, "buyer", "succeeded");
        StubMapping refused = stripeAnswersRefundsOf(payment[0], 200,
                "{\"id\": \"re_failed_" + payment[0].replace("-", "") + "\", \"object\": \"refund\", "
                        + "\"amount\": 120000, \"currency\": \"usd\", \"payment_intent\": \"" + payment[1] + "\", "
                        + "\"failure_reason\": \"expired_or_canceled_card\", \"metadata\": {}, \"status\": \"failed\"}");
        try {
            refund(OPERATOR, null, payment[0], null).statusCode(502).contentType("application/problem+json")
                    .body("detail", containsString("Stripe refused"))
                    .body("detail", containsString("expired_or_canceled_card"));
        } finally {
            stripe.removeStub(refused);
        }
        get(READER, "/api/v1/billing/payments/" + payment[0]).statusCode(200)
                .body("status", equalTo("succeeded")).body("stripe_refund_id", nullValue());
        assertEquals(1, outboxRows(pool, UPDATED, quote).size());
    }

    @Test
    void aPaymentRefundedInStripesDashboardAlreadyIsRecordedRefunded() {
        String quote = UUID.randomUUID().toString();
        String[] payment = payment(quote, "buyer", "succeeded");
        StubMapping already = stripeAnswersRefundsOf(payment[0], 400,
                "{\"error\": {\"code\": \"charge_already_refunded\", \"message\": \"Charge ch_"
                        + payment[1].substring(3) + " has already been refunded.\", \"param\": \"payment_intent\", "
                        + "\"type\": \"invalid_request_error\"}}");
        try {
            refund(OPERATOR, null, payment[0], null).statusCode(200)
                    .body("status", equalTo("refunded")).body("refunded_at", notNullValue())
                    .body("stripe_refund_id", nullValue());
        } finally {
            stripe.removeStub(already);
        }
        stripe.verify(1, refundsOf(payment[0]));
        assertTrue(lastPayload(outboxRows(pool, UPDATED, quote)).contains("\"status\":\"refunded\""));
    }
}
