package io.dotmac.billing.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.paymentBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.requestBody;
import static io.dotmac.billing.BillingTestSupport.unique;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.common.config.EventTopics;
import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * process_payment over HTTP with real tokens, against the Stripe stub through the real stripe-java
 * client: what Stripe is asked (amount in cents, idempotency keys), what is recorded, what is
 * emitted, and that a quote is never charged twice.
 */
@QuarkusTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class PaymentApiTest {

    static final String TENANT = unique("tenant");
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String TOPIC = "billing.payment.received";

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTopics topics;

    final WireMockServer stripe = StripeStub.server();
    final ObjectMapper json = new ObjectMapper();
    KafkaCompanion companion;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void close() {
        companion.close();
    }

    static RequestPatternBuilder paymentIntentsFor(String quote) {
        return postRequestedFor(urlPathEqualTo("/v1/payment_intents")).withFormParam("metadata[quote_id]", WireMock.equalTo(quote));
    }

    static RequestPatternBuilder customersCreatedFor(String email) {
        return postRequestedFor(urlPathEqualTo("/v1/customers")).withFormParam("email", WireMock.equalTo(email));
    }

    @Test
    void paymentSucceedsSynchronouslyAndEmitsPaymentReceivedOnce() throws Exception {
        var received = companion.consumeStrings().fromTopics(topics.onBroker(TOPIC));
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        String key = UUID.randomUUID() + ":process_payment";

        var created = processPayment(SERVICE, key, paymentBody(quote, "1099.99", "USD", email))
                .statusCode(201)
                .body("quote_id", equalTo(quote))
                .body("amount", equalTo(new BigDecimal("1099.99")))
                .body("currency", equalTo("USD"))
                .body("customer_email", equalTo(email))
                .body("status", equalTo("succeeded"))
                .body("stripe_customer_id", startsWith("cus_"))
                .body("stripe_payment_intent_id", startsWith("pi_"))
                .body("failure_message", nullValue())
                .body("created_at", notNullValue())
                .body("succeeded_at", notNullValue())
                .extract();
        String id = created.path("id");
        String customer = created.path("stripe_customer_id");
        String intent = created.path("stripe_payment_intent_id");

        // Stripe was asked for exact cents (1099.99 as a double would be 109998), confirmed
        // off-session, with keys derived from the caller's Idempotency-Key and the payment.
        stripe.verify(1, paymentIntentsFor(quote)
                .withFormParam("amount", WireMock.equalTo("109999"))
                .withFormParam("currency", WireMock.equalTo("usd"))
                .withFormParam("customer", WireMock.equalTo(customer))
                .withFormParam("payment_method", WireMock.equalTo("pm_card_visa"))
                .withFormParam("confirm", WireMock.equalTo("true"))
                .withFormParam("off_session", WireMock.equalTo("true"))
                .withFormParam("metadata[payment_id]", WireMock.equalTo(id))
                .withFormParam("metadata[tenant_id]", WireMock.equalTo(TENANT))
                .withHeader("Idempotency-Key", WireMock.equalTo(key + "/payment-" + id + ":payment_intent"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + StripeStub.API_KEY)));
        stripe.verify(1, getRequestedFor(urlPathEqualTo("/v1/customers")).withQueryParam("email", WireMock.equalTo(email)));
        stripe.verify(1, customersCreatedFor(email).withHeader("Idempotency-Key", WireMock.equalTo(key + "/payment-" + id + ":customer")));

        get(READER, "/api/v1/billing/payments/" + id).statusCode(200)
                .body("status", equalTo("succeeded")).body("stripe_payment_intent_id", equalTo(intent));
        get(SERVICE, "/api/v1/billing/payments/by-quote/" + quote).statusCode(200).body("id", equalTo(id));

        // billing.payment.received on the real topic, keyed by the quote, as a CloudEvent of the tenant.
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsFor(received.getRecords(), quote).size() == 1);
        ConsumerRecord<String, String> event = recordsFor(received.getRecords(), quote).get(0);
        assertEquals(TOPIC, header(event, "ce_type"));
        assertEquals(TENANT, header(event, "ce_tenantid"));
        JsonNode data = json.readTree(event.value());
        assertEquals(id, data.get("payment_id").asText());
        assertEquals(quote, data.get("quote_id").asText());
        assertEquals(new BigDecimal("1099.99"), data.get("amount").decimalValue());
        assertEquals("USD", data.get("currency").asText());
        assertEquals(email, data.get("customer_email").asText());
        assertEquals(customer, data.get("stripe_customer_id").asText());
        assertEquals(intent, data.get("stripe_payment_intent_id").asText());
        assertEquals(TENANT, data.get("tenant_id").asText());
        List<Object[]> outbox = outboxRows(pool, quote);
        assertEquals(1, outbox.size());
        List<Object[]> updated = outboxRows(pool, "billing.payment.updated", quote);
        assertEquals(1, updated.size(), "billing.payment.updated written once");
        assertTrue(((String) updated.get(0)[1]).contains("\"status\": \"succeeded\"") || ((String) updated.get(0)[1])
                .contains("\"status\":\"succeeded\""), (String) updated.get(0)[1]);
    }

    @Test
    void aDeclinedCardFailsThePaymentWithStripesMessage() {
        String quote = UUID.randomUUID().toString();
        String body = paymentBody(quote, "299.00", "USD", unique("declined") + "@example.com");
        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", body)
                .statusCode(201)
                .body("status", equalTo("failed"))
                .body("failure_message", equalTo("Your card was declined."))
                .body("stripe_payment_intent_id", startsWith("pi_"))
                .body("succeeded_at", nullValue());
        stripe.verify(1, paymentIntentsFor(quote));
        assertEquals(0, outboxRows(pool, quote).size());
        // A failure wakes whatever waits for the payment: billing.payment.updated, once.
        List<Object[]> updated = outboxRows(pool, "billing.payment.updated", quote);
        assertEquals(1, updated.size(), "billing.payment.updated written once");
        assertTrue(((String) updated.get(0)[1]).contains("Your card was declined."), (String) updated.get(0)[1]);

        // Recorded: the quote's payment is this failed one, and asking again does not charge again.
        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", body)
                .statusCode(200).body("status", equalTo("failed"));
        stripe.verify(1, paymentIntentsFor(quote));
    }

    @Test
    void aStripe500IsRetriedWithTheSameIdempotencyKeyAndMakesOnePaymentIntent() {
        String quote = UUID.randomUUID().toString();
        StubMapping flaky = stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote))
                .atPriority(0)
                .inScenario("flaky-" + quote).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"An unknown error occurred\", \"type\": \"api_error\"}}")));
        try {
            processPayment(SERVICE, UUID.randomUUID() + ":process_payment",
                    paymentBody(quote, "1200.00", "USD", unique("buyer") + "@example.com"))
                    .statusCode(201).body("status", equalTo("succeeded"));
        } finally {
            stripe.removeStub(flaky);
        }
        List<LoggedRequest> attempts = stripe.findAll(paymentIntentsFor(quote));
        assertEquals(2, attempts.size(), "the 500, then stripe-java's retry");
        assertEquals(attempts.get(0).getHeader("Idempotency-Key"), attempts.get(1).getHeader("Idempotency-Key"));
        assertTrue(attempts.get(0).getHeader("Idempotency-Key").endsWith(":payment_intent"));
    }

    @Test
    void stripeDownIs503RetryableAndTheRetryReusesThePaymentsStripeKeys() {
        String quote = UUID.randomUUID().toString();
        String body = paymentBody(quote, "149.00", "USD", unique("buyer") + "@example.com");
        StubMapping down = stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote)).atPriority(0)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"Service unavailable\", \"type\": \"api_error\"}}")));
        try {
            processPayment(SERVICE, "first-attempt-" + quote, body)
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .body("detail", containsString("retry with the same Idempotency-Key"));
        } finally {
            stripe.removeStub(down);
        }
        assertEquals(3, stripe.findAll(paymentIntentsFor(quote)).size(), "one request and two retries by stripe-java");
        // Nothing lost: the payment is recorded, pending, and Stripe has not answered for it.
        String id = get(READER, "/api/v1/billing/payments/by-quote/" + quote).statusCode(200)
                .body("status", equalTo("pending")).body("stripe_payment_intent_id", nullValue())
                .extract().path("id");

        // A later attempt, even under another Idempotency-Key, asks Stripe with the payment's keys:
        // if Stripe had made the PaymentIntent, it would answer with that one.
        processPayment(SERVICE, "second-attempt-" + quote, body).statusCode(201)
                .body("id", equalTo(id)).body("status", equalTo("succeeded"));
        List<LoggedRequest> attempts = stripe.findAll(paymentIntentsFor(quote));
        assertEquals(4, attempts.size());
        assertEquals(1, attempts.stream().map(r -> r.getHeader("Idempotency-Key")).distinct().count());
        assertEquals("first-attempt-" + quote + "/payment-" + id + ":payment_intent", attempts.get(3).getHeader("Idempotency-Key"));
    }

    @Test
    void aSecondCallForTheSameQuoteReturnsTheFirstPaymentWithoutCallingStripe() {
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        String id = processPayment(SERVICE, UUID.randomUUID() + ":process_payment", paymentBody(quote, "79.00", "USD", email))
                .statusCode(201).extract().path("id");
        int stripeRequests = stripe.getAllServeEvents().size();

        // Another workflow step (another key), a caller without a key naming only the quote: the same payment.
        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", paymentBody(quote, "79.00", "USD", email))
                .statusCode(200).body("id", equalTo(id)).body("status", equalTo("succeeded"));
        processPayment(OPERATOR, null, requestBody(quote, null, null, null))
                .statusCode(200).body("id", equalTo(id)).body("amount", equalTo(new BigDecimal("79.00")));
        // Another amount is not the quote's: refused, and the payment stays as it is.
        processPayment(OPERATOR, null, requestBody(quote, "80.00", "USD", email))
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("80.00"));
        get(READER, "/api/v1/billing/payments/by-quote/" + quote).statusCode(200)
                .body("id", equalTo(id)).body("amount", equalTo(new BigDecimal("79.00")));

        stripe.verify(1, paymentIntentsFor(quote));
        stripe.verify(1, customersCreatedFor(email));
        assertEquals(stripeRequests, stripe.getAllServeEvents().size(), "no request to Stripe at all");
        assertEquals(1, outboxRows(pool, quote).size());
    }

    @Test
    void concurrentCallsForOneQuoteMakeOnePaymentAndOnePaymentIntent() throws Exception {
        String quote = UUID.randomUUID().toString();
        String body = paymentBody(quote, "299.00", "USD", unique("buyer") + "@example.com");
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object[]>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // Different keys: as if several workflows took the payment for the same quote at once.
                String key = UUID.randomUUID() + ":process_payment";
                calls.add(callers.submit(() -> {
                    var response = processPayment(SERVICE, key, body).extract();
                    return new Object[] {response.statusCode(), response.path("id"), response.path("status")};
                }));
            }
            List<Object[]> answers = new ArrayList<>();
            for (Future<Object[]> call : calls) {
                answers.add(call.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, answers.stream().filter(a -> (Integer) a[0] == 201).count(), "one call charged");
            assertEquals(3, answers.stream().filter(a -> (Integer) a[0] == 200).count(), "the others got its payment");
            assertEquals(1, answers.stream().map(a -> a[1]).distinct().count());
            assertTrue(answers.stream().allMatch(a -> "succeeded".equals(a[2])));
        } finally {
            callers.shutdownNow();
        }
        stripe.verify(1, paymentIntentsFor(quote));
        assertEquals(1, outboxRows(pool, quote).size());
    }

    @Test
    void theSameIdempotencyKeyReplaysTheResponseAndAnotherBodyWithItIs422() {
        String quote = UUID.randomUUID().toString();
        String key = UUID.randomUUID() + ":process_payment";
        String body = paymentBody(quote, "33.33", "USD", unique("buyer") + "@example.com");
        String id = processPayment(SERVICE, key, body).statusCode(201).extract().path("id");

        processPayment(SERVICE, key, body).statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id)).body("status", equalTo("succeeded"));
        // Another body under the same key, for the same quote and still its price: refused by the key.
        processPayment(SERVICE, key, requestBody(quote, null, null, null))
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("already used"));
        // Another amount under the same key: 422 too (it is not the quote's).
        processPayment(SERVICE, key, requestBody(quote, "34.00", "USD", null))
                .statusCode(422).contentType("application/problem+json");
        stripe.verify(1, paymentIntentsFor(quote));
    }

    @Test
    void aPaymentIntentStripeLeavesProcessingStaysPending() {
        String quote = UUID.randomUUID().toString();
        String body = paymentBody(quote, "99.00", "USD", unique("pending") + "@example.com");
        processPayment(SERVICE, null, body)
                .statusCode(201)
                .body("status", equalTo("pending"))
                .body("stripe_payment_intent_id", startsWith("pi_"))
                .body("succeeded_at", nullValue());
        assertEquals(0, outboxRows(pool, quote).size());
        // Stripe answered for it: a retry waits for the webhook instead of asking again.
        processPayment(SERVICE, null, body)
                .statusCode(200).body("status", equalTo("pending"));
        stripe.verify(1, paymentIntentsFor(quote));
    }

    @Test
    void aReturningCustomerIsReusedAndNoEmailMeansNoCustomer() {
        String quote = UUID.randomUUID().toString();
        String email = unique("returning") + "@example.com";
        processPayment(SERVICE, null, paymentBody(quote, "10.00", "USD", email))
                .statusCode(201).body("stripe_customer_id", equalTo("cus_Returning0001"));
        stripe.verify(0, customersCreatedFor(email));
        stripe.verify(1, paymentIntentsFor(quote).withFormParam("customer", WireMock.equalTo("cus_Returning0001")));

        String anonymous = UUID.randomUUID().toString();
        processPayment(SERVICE, null, paymentBody(anonymous, "10.00", "usd", null))
                .statusCode(201).body("status", equalTo("succeeded"))
                .body("currency", equalTo("USD")).body("stripe_customer_id", nullValue());
        assertTrue(stripe.findAll(paymentIntentsFor(anonymous)).get(0).getBodyAsString().indexOf("customer=") < 0);
    }

    @Test
    void invalidRequestsAre400NamingTheFieldAndRecordNothing() {
        // The quote is there and accepted: what is refused is the request itself.
        String quote = UUID.randomUUID().toString();
        CrmStub.serveAccepted(quote, "12.00", "USD", null);
        processPayment(SERVICE, null, requestBody(quote, "12.345", "USD", null))
                .statusCode(400).contentType("application/problem+json").body("detail", startsWith("amount:"));
        processPayment(SERVICE, null, requestBody(quote, "0", "USD", null))
                .statusCode(400).body("detail", startsWith("amount:"));
        processPayment(SERVICE, null, requestBody(quote, "12.00", "ZZZ", null))
                .statusCode(400).body("detail", startsWith("currency:"));
        processPayment(SERVICE, null, requestBody(quote, "1200", "JPY", null))
                .statusCode(400).body("detail", startsWith("currency:"));
        processPayment(SERVICE, null, "{\"amount\": 12.00, \"currency\": \"USD\"}")
                .statusCode(400).body("detail", containsString("quote_id"));
        processPayment(SERVICE, null, requestBody(quote, "12.00", "USD", "not-an-email"))
                .statusCode(400).body("detail", containsString("customer_email"));
        get(READER, "/api/v1/billing/payments/by-quote/" + quote).statusCode(404).contentType("application/problem+json");
        stripe.verify(0, paymentIntentsFor(quote));
    }

    @Test
    void paymentsAreTenantScopedPaginatedAndNeedTheRightRole() {
        String tenant = unique("tenant");
        String token = TestTokens.token(tenant, "operator");
        String first = processPayment(token, null, paymentBody(UUID.randomUUID().toString(), "1.00", "USD", null))
                .statusCode(201).extract().path("id");
        String second = processPayment(token, null, paymentBody(UUID.randomUUID().toString(), "2.00", "USD", null))
                .statusCode(201).extract().path("id");

        get(token, "/api/v1/billing/payments?page=0&size=1").statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(second))
                .body("page", equalTo(0)).body("size", equalTo(1)).body("total", equalTo(2));
        get(token, "/api/v1/billing/payments?page=1&size=1").statusCode(200).body("items[0].id", equalTo(first));
        get(token, "/api/v1/billing/payments?size=0").statusCode(400).contentType("application/problem+json");

        // Another tenant sees none of it: 404, not 403.
        get(READER, "/api/v1/billing/payments/" + first).statusCode(404).contentType("application/problem+json");
        get(READER, "/api/v1/billing/payments?size=100").statusCode(200).body("items.id", not(hasItem(first)));
        get(READER, "/api/v1/billing/payments/not-a-uuid").statusCode(404);

        processPayment(READER, null, paymentBody(UUID.randomUUID().toString(), "1.00", "USD", null)).statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json")
                .body(paymentBody(UUID.randomUUID().toString(), "1.00", "USD", null))
                .when().post("/api/v1/billing/payments").then().statusCode(401).contentType("application/problem+json");
    }

    private static List<ConsumerRecord<String, String>> recordsFor(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aSucceededPaymentCountsInTheFunnelOnceEvenWhenReplayed() {
        double paid = Metrics.funnel("paid");
        String key = UUID.randomUUID() + ":process_payment";
        String body = paymentBody(UUID.randomUUID().toString(), "10.00", "USD", unique("funnel") + "@example.com");
        processPayment(SERVICE, key, body).statusCode(201).body("status", equalTo("succeeded"));
        processPayment(SERVICE, key, body).statusCode(201).body("status", equalTo("succeeded"));
        assertEquals(paid + 1, Metrics.funnel("paid"));
    }
}
