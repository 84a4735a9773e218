package io.dotmac.billing.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.paymentBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.common.config.EventTopics;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe's webhook with payloads signed here with the configured secret: verified, applied once
 * per event id, found by PaymentIntent (or by the metadata when the intent is not recorded), and
 * the success published once on the real topic.
 */
@QuarkusTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class StripeWebhookTest {

    static final String TENANT = unique("tenant");
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String WEBHOOK = "/api/v1/billing/webhooks/stripe";

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTopics topics;

    final WireMockServer stripe = StripeStub.server();
    KafkaCompanion companion;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void close() {
        companion.close();
    }

    /** A payment Stripe left processing: pending, with its PaymentIntent. Returns {payment id, intent id}. */
    private String[] pendingPayment(String quote) {
        var created = processPayment(SERVICE, UUID.randomUUID() + ":process_payment",
                paymentBody(quote, "1200.00", "USD", unique("pending") + "@example.com"))
                .statusCode(201).body("status", equalTo("pending")).extract();
        return new String[] {created.path("id"), created.path("stripe_payment_intent_id")};
    }

    private static ValidatableResponse deliver(String payload, String signature) {
        var request = given().contentType("application/json; charset=utf-8").body(payload);
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return request.when().post(WEBHOOK).then();
    }

    private static ValidatableResponse deliver(String payload) {
        return deliver(payload, StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()));
    }

    private static String succeeded(String eventId, String intent, String paymentId, String quote) {
        return StripeEvents.event(eventId, "payment_intent.succeeded",
                StripeEvents.paymentIntent(intent, "succeeded", 120000, paymentId, quote, TENANT, null));
    }

    private ValidatableResponse payment(String id) {
        return get(SERVICE, "/api/v1/billing/payments/" + id).statusCode(200);
    }

    @Test
    void aSucceededPaymentIntentMarksThePaymentPaidAndEmitsExactlyOneEvent() throws Exception {
        var received = companion.consumeStrings().fromTopics(topics.onBroker("billing.payment.received"));
        String quote = UUID.randomUUID().toString();
        String[] payment = pendingPayment(quote);
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String payload = succeeded(eventId, payment[1], payment[0], quote);
        String signature = StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now());

        deliver(payload, signature).statusCode(200)
                .body("received", equalTo(true)).body("outcome", equalTo("applied"))
                .body("payment_id", equalTo(payment[0])).body("payment_status", equalTo("succeeded"));
        payment(payment[0]).body("status", equalTo("succeeded")).body("succeeded_at", notNullValue());

        // Stripe redelivers the same event, and sends another success for the same intent: nothing more happens.
        deliver(payload, signature).statusCode(200).body("outcome", equalTo("duplicate"));
        deliver(succeeded("evt_" + UUID.randomUUID().toString().replace("-", ""), payment[1], payment[0], quote))
                .statusCode(200).body("payment_status", equalTo("succeeded"));

        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRows(pool, quote).stream().allMatch(row -> (Boolean) row[0]));
        assertEquals(1, outboxRows(pool, quote).size());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> received.getRecords().stream().anyMatch(r -> quote.equals(r.key())));
        var records = received.getRecords().stream().filter(r -> quote.equals(r.key())).toList();
        assertEquals(1, records.size());
        JsonNode data = new ObjectMapper().readTree(records.get(0).value());
        assertEquals(payment[0], data.get("payment_id").asText());
        assertEquals(payment[1], data.get("stripe_payment_intent_id").asText());
        assertEquals(TENANT, data.get("tenant_id").asText());
    }

    @Test
    void aBadOrMissingSignatureIs400AndChangesNothing() {
        String quote = UUID.randomUUID().toString();
        String[] payment = pendingPayment(quote);
        String payload = succeeded("evt_" + UUID.randomUUID().toString().replace("-", ""), payment[1], payment[0], quote);

        deliver(payload, StripeEvents.signature(payload, "whsec_someone_else", StripeEvents.now()))
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("Stripe-Signature"));
        deliver(payload, null).statusCode(400).contentType("application/problem+json");
        deliver(payload, "not a signature").statusCode(400).contentType("application/problem+json");
        // Signed, but for another body.
        deliver(payload.replace("120000", "1"), StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()))
                .statusCode(400);

        payment(payment[0]).body("status", equalTo("pending")).body("succeeded_at", nullValue());
        assertEquals(0, outboxRows(pool, quote).size());
        // The event was not recorded either: delivered properly, it is applied.
        deliver(payload).statusCode(200).body("outcome", equalTo("applied"));
    }

    @Test
    void aStaleTimestampIsRefused() {
        String quote = UUID.randomUUID().toString();
        String[] payment = pendingPayment(quote);
        String payload = succeeded("evt_" + UUID.randomUUID().toString().replace("-", ""), payment[1], payment[0], quote);

        deliver(payload, StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now() - 600))
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("tolerance"));
        payment(payment[0]).body("status", equalTo("pending"));
        assertEquals(0, outboxRows(pool, quote).size());
    }

    @Test
    void unknownTypesAndOtherPaymentIntentsAreAcknowledgedAndIgnored() {
        String customer = StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "customer.created",
                "{\"id\": \"cus_Other\", \"object\": \"customer\", \"email\": \"x@example.com\", \"metadata\": {}}");
        deliver(customer).statusCode(200).body("outcome", equalTo("ignored")).body("payment_id", nullValue());

        String notOurs = StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "payment_intent.succeeded",
                "{\"id\": \"pi_NotOurs\", \"object\": \"payment_intent\", \"amount\": 500, \"currency\": \"usd\", "
                        + "\"metadata\": {}, \"status\": \"succeeded\"}");
        deliver(notOurs).statusCode(200).body("outcome", equalTo("ignored"));
    }

    @Test
    void aFailedPaymentIntentFailsThePaymentWithStripesMessage() {
        String quote = UUID.randomUUID().toString();
        String[] payment = pendingPayment(quote);
        deliver(StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "payment_intent.payment_failed",
                StripeEvents.paymentIntent(payment[1], "requires_payment_method", 120000, payment[0], quote, TENANT,
                        "Your card has insufficient funds.")))
                .statusCode(200).body("outcome", equalTo("applied")).body("payment_status", equalTo("failed"));
        payment(payment[0]).body("status", equalTo("failed")).body("failure_message", equalTo("Your card has insufficient funds."));
        assertEquals(0, outboxRows(pool, quote).size());
    }

    @Test
    void aFullRefundRefundsASucceededPaymentAndAPartialOneDoesNot() {
        String quote = UUID.randomUUID().toString();
        String[] payment = pendingPayment(quote);
        deliver(succeeded("evt_" + UUID.randomUUID().toString().replace("-", ""), payment[1], payment[0], quote)).statusCode(200);

        deliver(StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "charge.refunded",
                StripeEvents.charge(payment[1], 120000, 20000)))
                .statusCode(200).body("payment_status", equalTo("succeeded"));
        payment(payment[0]).body("status", equalTo("succeeded"));

        deliver(StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "charge.refunded",
                StripeEvents.charge(payment[1], 120000, 120000)))
                .statusCode(200).body("payment_status", equalTo("refunded"));
        // Refunded in Stripe's dashboard: recorded as billing's own refund would be, without its refund id.
        payment(payment[0]).body("status", equalTo("refunded")).body("refunded_at", notNullValue())
                .body("stripe_refund_id", nullValue());
        assertEquals(1, outboxRows(pool, quote).size());
        assertEquals(2, outboxRows(pool, "billing.payment.updated", quote).size(), "succeeded, then refunded");
    }

    @Test
    void theWebhookOfBillingsOwnRefundChangesNothing() {
        String quote = UUID.randomUUID().toString();
        String[] payment = pendingPayment(quote);
        deliver(succeeded("evt_" + UUID.randomUUID().toString().replace("-", ""), payment[1], payment[0], quote)).statusCode(200);
        String refundedAt = given().auth().oauth2(SERVICE)
                .contentType("application/json").body("{\"reason\": \"journey failed\"}")
                .when().post("/api/v1/billing/payments/" + payment[0] + "/refund")
                .then().statusCode(200).body("status", equalTo("refunded")).extract().path("refunded_at");

        deliver(StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "charge.refunded",
                StripeEvents.charge(payment[1], 120000, 120000)))
                .statusCode(200).body("payment_status", equalTo("refunded"));
        String after = payment(payment[0]).body("stripe_refund_id", equalTo("re_" + payment[0].replace("-", "")))
                .body("refund_reason", equalTo("journey failed")).extract().path("refunded_at");
        assertEquals(OffsetDateTime.parse(refundedAt).toInstant(), OffsetDateTime.parse(after).toInstant());
        assertEquals(2, outboxRows(pool, "billing.payment.updated", quote).size(), "succeeded, then refunded, once");
    }

    @Test
    void aPaymentWhoseIntentWasNeverRecordedIsFoundThroughTheMetadata() {
        // Stripe fails the request (503 to the caller): the payment stays pending, without an intent.
        String quote = UUID.randomUUID().toString();
        String body = paymentBody(quote, "1200.00", "USD", unique("buyer") + "@example.com");
        StubMapping down = stripe.stubFor(post(urlPathEqualTo("/v1/payment_intents"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote)).atPriority(0)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"An unknown error occurred\", \"type\": \"api_error\"}}")));
        try {
            processPayment(SERVICE, null, body).statusCode(503);
        } finally {
            stripe.removeStub(down);
        }
        String id = get(SERVICE, "/api/v1/billing/payments/by-quote/" + quote).statusCode(200)
                .body("stripe_payment_intent_id", nullValue()).extract().path("id");

        // Yet Stripe made the intent and reports its success: the webhook finds the payment by its metadata.
        String intent = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        deliver(succeeded("evt_" + UUID.randomUUID().toString().replace("-", ""), intent, id, quote))
                .statusCode(200).body("outcome", equalTo("applied")).body("payment_id", equalTo(id));
        payment(id).body("status", equalTo("succeeded")).body("stripe_payment_intent_id", equalTo(intent));
        assertEquals(1, outboxRows(pool, quote).size());

        // The workflow's retry now gets the paid payment, and Stripe is not asked again.
        int asked = stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote))).size();
        processPayment(SERVICE, null, body).statusCode(200).body("status", equalTo("succeeded"));
        assertEquals(asked, stripe.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote))).size());

        // Metadata naming another tenant's payment is not trusted.
        String other = StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "payment_intent.succeeded",
                StripeEvents.paymentIntent("pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24), "succeeded",
                        120000, id, quote, "someone-else", null));
        deliver(other).statusCode(200).body("outcome", equalTo("ignored"));
    }
}
