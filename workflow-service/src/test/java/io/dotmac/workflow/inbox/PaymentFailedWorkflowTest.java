package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in dunning workflow, {@code payment_failed}, driven by events on the real broker against
 * the services' stand-ins. Its waits last days; each test's tenant publishes the built-in's own
 * steps under its name with waits of seconds (what a tenant does for another grace), so what runs is
 * the built-in's logic.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class PaymentFailedWorkflowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STEPS = List.of("get_invoice", "tell_payment_failed", "wait_before_reminding",
            "remind_customer", "wait_before_suspending", "suspend_licenses", "suspend_customer", "tell_suspended",
            "wait_for_payment", "reinstate_licenses", "reinstate_customer");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaCompanion companion;
    WireMockServer stub = DownstreamStub.server();

    final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    final String quote = UUID.randomUUID().toString();
    final String invoice = UUID.randomUUID().toString();
    final String subscription = "sub_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
        // The journal is the whole JVM's: each stub and check names this test's invoice or quote.
        for (String path : List.of("/api/v1/notifications/payment-failed", "/api/v1/notifications/receipt")) {
            stub.stubFor(post(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.invoice_id", WireMock.equalTo(invoice)))
                    .willReturn(okJson("{\"status\": \"sent\"}")));
        }
        for (String path : List.of("/api/v1/licenses/suspend", "/api/v1/licenses/reinstate", "/api/v1/licenses/renew")) {
            stub.stubFor(post(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote)))
                    .willReturn(okJson("{\"changed\": 1}")));
        }
        for (String path : List.of("/api/v1/sales/tenants/suspend", "/api/v1/sales/tenants/reinstate")) {
            stub.stubFor(post(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote)))
                    .willReturn(okJson("{\"changed\": true}")));
        }
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void anInvoiceUnpaidThroughItsGraceSuspendsTheCustomerOnceAndItsLatePaymentReinstatesThem() {
        publishWithWaits(1, 1, 120);
        invoiceIs("open");
        // Stripe retries a declined invoice: each attempt is another event of the same invoice.
        failedAttempt("subscription_cycle");
        failedAttempt("subscription_cycle");

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> executions("payment_failed"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "wait_for_payment".equals(waitingAt(id)));
        for (String stage : List.of("failed", "reminder", "suspended")) {
            stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/notifications/payment-failed"))
                    .withRequestBody(equalToJson("{\"invoice_id\": \"" + invoice + "\", \"stage\": \"" + stage + "\"}")));
        }
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/suspend"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":suspend_licenses"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"reason\": \"invoice " + invoice + " unpaid\"}")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/suspend"))
                .withRequestBody(equalToJson("{\"quote_id\": \"" + quote + "\", \"reason\": \"invoice " + invoice + " unpaid\"}")));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote))));

        // Paid on the invoice page: billing's invoice.paid wakes the wait at once, long before its timeout.
        invoiceIs("paid");
        paid();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(execution(id).getString("status")));
        JsonPath done = execution(id);
        assertEquals(STEPS, done.getList("steps.step_name"));
        assertEquals(List.of("completed", "completed", "failed", "completed", "failed", "completed", "completed", "completed",
                "completed", "completed", "completed"), done.getList("steps.status"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"reason\": \"invoice " + invoice + " paid\"}")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/reinstate"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));
        assertEquals(1, executions("payment_failed").size());
    }

    @Test
    void anInvoicePaidWithinTheGraceEndsTheDunningWithoutSuspendingAnything() {
        publishWithWaits(120, 120, 120);
        invoiceIs("open");
        failedAttempt("subscription_cycle");
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> executions("payment_failed"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "wait_before_reminding".equals(waitingAt(id)));

        invoiceIs("paid");
        paid();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(execution(id).getString("status")));
        assertEquals(List.of("completed", "completed", "completed", "skipped", "completed", "skipped", "skipped", "skipped",
                "completed", "skipped", "skipped"), execution(id).getList("steps.status"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/notifications/payment-failed"))
                .withRequestBody(matchingJsonPath("$.invoice_id", WireMock.equalTo(invoice))));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/suspend"))
                .withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote))));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/suspend"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));
    }

    @Test
    void aSubscriptionsFirstInvoiceIsTheJourneysToCollectNotDunning() {
        publishWithWaits(120, 120, 120);
        invoiceIs("open");
        failedAttempt("subscription_create");
        String marker = UUID.randomUUID().toString();
        // A later event of the same key is consumed after it: once it has started its dunning, the first was passed over.
        companion.produceStrings().fromRecords(CloudEvents.event("billing.invoice.payment_failed", subscription,
                UUID.randomUUID().toString(), tenant, event(marker, "subscription_cycle"))).awaitCompletion(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> executions("payment_failed").size() == 1);
        given().auth().oauth2(TestTokens.token(tenant, "reader")).when()
                .get("/api/v1/workflows/executions/" + executions("payment_failed").get(0))
                .then().statusCode(200).body("context.invoice_id", equalTo(marker));
    }

    /** The built-in as this tenant's own version, its three waits shortened to the seconds given. */
    private void publishWithWaits(int beforeReminding, int beforeSuspending, int forPayment) {
        ObjectNode definition;
        try (InputStream in = getClass().getResourceAsStream("/workflows/payment_failed.json")) {
            definition = (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        definition.put("version", "1.0.1");
        Map<String, Integer> waits = Map.of("wait_before_reminding", beforeReminding, "wait_before_suspending", beforeSuspending,
                "wait_for_payment", forPayment);
        for (JsonNode step : definition.get("steps")) {
            Integer seconds = waits.get(step.get("name").asText());
            if (seconds != null) {
                ((ObjectNode) step).put("timeout_seconds", seconds);
            }
        }
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body(definition.toString())
                .when().post("/api/v1/workflows").then().statusCode(201);
    }

    private void invoiceIs(String status) {
        stub.stubFor(get(urlEqualTo("/api/v1/billing/invoices/" + invoice)).willReturn(okJson("""
                {"id": "%s", "quote_id": "%s", "status": "%s", "billing_reason": "subscription_cycle", "amount_due": 1200.00,
                 "period_start": "2031-04-30T10:00:00Z", "period_end": "2031-05-30T10:00:00Z"}""".formatted(invoice, quote, status))));
    }

    private void failedAttempt(String billingReason) {
        companion.produceStrings().fromRecords(CloudEvents.event("billing.invoice.payment_failed", subscription,
                UUID.randomUUID().toString(), tenant, event(invoice, billingReason))).awaitCompletion(Duration.ofSeconds(30));
    }

    private void paid() {
        companion.produceStrings().fromRecords(CloudEvents.event("billing.invoice.paid", subscription,
                UUID.randomUUID().toString(), tenant, event(invoice, "subscription_cycle"))).awaitCompletion(Duration.ofSeconds(30));
    }

    private String event(String invoiceId, String billingReason) {
        return """
                {"invoice_id": "%s", "quote_id": "%s", "stripe_subscription_id": "%s", "billing_reason": "%s"}"""
                .formatted(invoiceId, quote, subscription, billingReason);
    }

    private List<String> executions(String workflow) {
        return given().auth().oauth2(TestTokens.token(tenant, "reader"))
                .when().get("/api/v1/workflows/executions?workflow_name=" + workflow)
                .then().statusCode(200).extract().path("items.id");
    }

    /** The step the execution waits at, or null. */
    private String waitingAt(String id) {
        return execution(id).getString("steps.find { it.status == 'waiting' }.step_name");
    }

    private JsonPath execution(String id) {
        return given().auth().oauth2(TestTokens.token(tenant, "reader")).when().get("/api/v1/workflows/executions/" + id)
                .then().statusCode(200).extract().jsonPath();
    }
}
