package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events on the real broker start the workflows that declare them, once per event, in the event's
 * tenant; malformed events go to the dead-letter topic without stopping the consumer.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class EventTriggersTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaCompanion companion;
    WireMockServer stub = DownstreamStub.server();

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void close() {
        companion.close();
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> withoutSource(
            org.apache.kafka.clients.producer.ProducerRecord<String, String> record) {
        record.headers().remove("ce_source");
        return record;
    }

    private static List<String> executions(String tenant, String workflow) {
        return given().auth().oauth2(TestTokens.token(tenant, "reader"))
                .when().get("/api/v1/workflows/executions?workflow_name=" + workflow)
                .then().statusCode(200).extract().path("items.id");
    }

    @Test
    void anAcceptedQuoteStartsQuoteAcceptedOnceHoweverOftenItIsDelivered() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String quote = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        stub.stubFor(get(urlEqualTo("/api/v1/crm/quotes/" + quote)).willReturn(okJson("""
                {"id": "%s", "quote_number": "Q-1001", "status": "accepted", "total_amount": 1200.00, "currency": "USD",
                 "customer_email": "ada@example.com", "customer_name": "Ada", "organization_slug": "ada-%s",
                 "items": [{"product_code": "isp-core", "quantity": 1}]}""".formatted(quote, tenant))));
        stub.stubFor(post(urlEqualTo("/api/v1/billing/payments")).withRequestBody(equalToJson("{\"quote_id\":\"" + quote + "\"}"))
                .willReturn(okJson("{\"id\":\"P-" + quote + "\",\"status\":\"succeeded\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/licenses")).withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote)))
                .willReturn(okJson("{\"customer_id\":\"ada\",\"source_id\":\"" + quote + "\",\"licenses\":[]}")));
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/from-quote")).withRequestBody(equalToJson("{\"quote_id\":\"" + quote + "\"}"))
                .willReturn(okJson("{\"id\":\"O-" + quote + "\",\"status\":\"draft\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/submit"))
                .willReturn(okJson("{\"id\":\"O-" + quote + "\",\"status\":\"active\",\"organization_slug\":\"ada-" + tenant + "\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/notifications/welcome-email"))
                .withRequestBody(matchingJsonPath("$.tenant_subdomain", WireMock.equalTo("ada-" + tenant)))
                .willReturn(okJson("{\"status\":\"sent\"}")));
        String data = "{\"quote_id\":\"" + quote + "\",\"quote_number\":\"Q-1001\",\"total_amount\":\"1200.00\"}";

        companion.produceStrings().fromRecords(
                CloudEvents.event("crm.quote.accepted", quote, eventId, tenant, data),
                CloudEvents.event("crm.quote.accepted", quote, eventId, tenant, data)).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> executions(tenant, "quote_accepted").size() == 1);
        String id = executions(tenant, "quote_accepted").get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().auth().oauth2(TestTokens.token(tenant, "reader"))
                .when().get("/api/v1/workflows/executions/" + id).then().extract().path("status")));
        given().auth().oauth2(TestTokens.token(tenant, "reader")).when().get("/api/v1/workflows/executions/" + id)
                .then().statusCode(200)
                .body("trigger_type", equalTo("event"))
                .body("trigger_source", equalTo("crm.quote.accepted/" + eventId))
                .body("context.quote_id", equalTo(quote))
                .body("context.payment.status", equalTo("succeeded"))
                .body("context.order.status", equalTo("active"))
                .body("steps.step_name", equalTo(List.of("get_quote", "process_payment", "send_payment_link", "wait_for_payment", "payment_received", "issue_license",
                        "create_order", "activate_order", "send_welcome")));
        // The second delivery is consumed after the first (same key, same partition): still one execution.
        org.junit.jupiter.api.Assertions.assertEquals(1, executions(tenant, "quote_accepted").size());
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/orders/from-quote"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":create_order")));
        // The engine calls with a token of its own, for the event's tenant, in the service role.
        String authorization = stub.findAll(postRequestedFor(urlEqualTo("/api/v1/sales/orders/from-quote"))
                .withRequestBody(equalToJson("{\"quote_id\":\"" + quote + "\"}"))).get(0).getHeader("Authorization");
        org.junit.jupiter.api.Assertions.assertTrue(authorization.startsWith("Bearer "), authorization);
        String claims = new String(java.util.Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(claims.contains("\"tenant_id\":\"" + tenant + "\""), claims);
        org.junit.jupiter.api.Assertions.assertTrue(claims.contains("\"groups\":[\"service\"]"), claims);
    }

    @Test
    void anEventStartsNothingWhileTheWorkflowNamedInUnlessRunningDrivesItsKey() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.token(tenant, "admin");
        String held = UUID.randomUUID().toString();
        String free = UUID.randomUUID().toString();
        // "holder" waits an hour on a condition, carrying its quote id as a business key.
        given().auth().oauth2(admin).contentType("application/json").body("""
                {"name": "holder", "version": "1.0.0", "inputs": ["quote_id"], "steps": [
                  {"name": "hold", "type": "condition", "condition": "quote_id == 'never'", "timeout_seconds": 3600}]}""")
                .when().post("/api/v1/workflows").then().statusCode(201);
        given().auth().oauth2(admin).contentType("application/json").body("""
                {"name": "follower", "version": "1.0.0", "inputs": ["quote_id"],
                 "triggers": [{"event": "crm.quote.accepted", "context": {"quote_id": "${data.quote_id}"},
                               "unless_running": {"workflow": "holder", "key": "${data.quote_id}"}}],
                 "steps": [{"name": "note", "type": "transform", "set": {"seen": "${quote_id}"}}]}""")
                .when().post("/api/v1/workflows").then().statusCode(201);
        String holder = given().auth().oauth2(TestTokens.token(tenant, "operator")).contentType("application/json")
                .body("{\"workflow_name\": \"holder\", \"context\": {\"quote_id\": \"" + held.toUpperCase() + "\"}}")
                .when().post("/api/v1/workflows/execute").then().statusCode(202).extract().path("execution_id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "waiting".equals(given().auth().oauth2(admin)
                .when().get("/api/v1/workflows/executions/" + holder).then().extract().path("status")));

        // One partition key for both, so the held quote's event is consumed before the free one's.
        String key = UUID.randomUUID().toString();
        companion.produceStrings().fromRecords(
                CloudEvents.event("crm.quote.accepted", key, UUID.randomUUID().toString(), tenant, "{\"quote_id\":\"" + held + "\"}"),
                CloudEvents.event("crm.quote.accepted", key, UUID.randomUUID().toString(), tenant, "{\"quote_id\":\"" + free + "\"}"))
                .awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> executions(tenant, "follower").size() == 1);
        String follower = executions(tenant, "follower").get(0);
        given().auth().oauth2(admin).when().get("/api/v1/workflows/executions/" + follower).then().statusCode(200)
                .body("context.quote_id", equalTo(free));
        // The holder still waits: its key (matched without regard to case) kept the follower from starting for it.
        given().auth().oauth2(admin).when().get("/api/v1/workflows/executions/" + holder).then().statusCode(200)
                .body("status", equalTo("waiting"));

        // A key that is no business key (an object) starts nothing, here nothing at all: the event is set aside.
        String marker = UUID.randomUUID().toString();
        var dlq = companion.consumeStrings().fromTopics(CloudEvents.onBroker("crm.quote.accepted.dlq"));
        try {
            companion.produceStrings().fromRecords(CloudEvents.event("crm.quote.accepted", key, UUID.randomUUID().toString(),
                    tenant, "{\"quote_id\": {\"marker\": \"" + marker + "\"}}")).awaitCompletion(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> dlq.getRecords().stream().anyMatch(r -> r.value().contains(marker)));
        } finally {
            dlq.stop();
        }
        org.junit.jupiter.api.Assertions.assertEquals(1, executions(tenant, "follower").size());
    }

    @Test
    void aPaidInvoiceStartsTheBuiltInSubscriptionRenewedOnlyForARenewalAndItRenewsLiftsItsDunningHoldAndSendsTheReceipt() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String quote = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        String renewal = UUID.randomUUID().toString();
        String subscription = "sub_" + UUID.randomUUID().toString().replace("-", "");
        stub.stubFor(get(urlEqualTo("/api/v1/billing/invoices/" + renewal)).willReturn(okJson("""
                {"id": "%s", "quote_id": "%s", "status": "paid", "billing_reason": "subscription_cycle",
                 "period_start": "2031-04-30T10:00:00Z", "period_end": "2031-05-30T10:00:00Z"}""".formatted(renewal, quote))));
        stub.stubFor(post(urlEqualTo("/api/v1/licenses/renew"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"invoice_id\": \"" + renewal + "\"}"))
                .willReturn(okJson("{\"source_id\": \"" + quote + "\", \"renewed\": true, \"licenses\": []}")));
        stub.stubFor(post(urlEqualTo("/api/v1/sales/tenants/reinstate"))
                .withRequestBody(equalToJson("{\"quote_id\": \"" + quote + "\", \"hold\": \"invoice:" + renewal
                        + "\", \"reason\": \"invoice " + renewal + " paid\"}"))
                .willReturn(okJson("{\"quote_id\": \"" + quote + "\", \"status\": \"active\", \"changed\": false}")));
        stub.stubFor(post(urlEqualTo("/api/v1/licenses/reinstate"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"hold\": \"invoice:" + renewal
                        + "\", \"reason\": \"invoice " + renewal + " paid\"}"))
                .willReturn(okJson("{\"source_id\": \"" + quote + "\", \"changed\": 0, \"licenses\": []}")));
        stub.stubFor(post(urlEqualTo("/api/v1/notifications/receipt"))
                .withRequestBody(equalToJson("{\"invoice_id\": \"" + renewal + "\"}"))
                .willReturn(okJson("{\"kind\": \"receipt\", \"status\": \"sent\"}")));
        String data = "{\"invoice_id\": \"%s\", \"quote_id\": \"" + quote + "\", \"stripe_subscription_id\": \"" + subscription
                + "\", \"billing_reason\": \"%s\"}";

        // The first invoice (the journey's payment) is consumed before the renewal's: same key, same partition.
        companion.produceStrings().fromRecords(
                CloudEvents.event("billing.invoice.paid", subscription, UUID.randomUUID().toString(), tenant,
                        data.formatted(first, "subscription_create")),
                CloudEvents.event("billing.invoice.paid", subscription, UUID.randomUUID().toString(), tenant,
                        data.formatted(renewal, "subscription_cycle"))).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> executions(tenant, "subscription_renewed").size() == 1);
        String id = executions(tenant, "subscription_renewed").get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(given().auth().oauth2(TestTokens.token(tenant, "reader"))
                .when().get("/api/v1/workflows/executions/" + id).then().extract().path("status")));
        given().auth().oauth2(TestTokens.token(tenant, "reader")).when().get("/api/v1/workflows/executions/" + id)
                .then().statusCode(200).body("context.invoice_id", equalTo(renewal))
                .body("steps.step_name", equalTo(List.of("verify_invoice", "invoice_paid", "renew_licenses",
                        "lift_dunning_hold_on_platform", "lift_dunning_hold_on_licenses", "send_receipt")))
                .body("steps.status", equalTo(List.of("completed", "completed", "completed", "completed", "completed", "completed")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/renew"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":renew_licenses")));
        stub.verify(0, getRequestedFor(urlEqualTo("/api/v1/billing/invoices/" + first)));
        org.junit.jupiter.api.Assertions.assertEquals(1, executions(tenant, "subscription_renewed").size());
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicAndTheNextGoodOneIsProcessed() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = UUID.randomUUID().toString();
        var dlq = companion.consumeStrings().fromTopics(CloudEvents.onBroker("crm.quote.accepted.dlq"));
        try {
            String quote = UUID.randomUUID().toString();
            companion.produceStrings().fromRecords(
                    // No tenant: nobody's event.
                    CloudEvents.event("crm.quote.accepted", quote, UUID.randomUUID().toString(), null,
                            "{\"quote_id\":\"" + quote + "\",\"marker\":\"no-tenant-" + marker + "\"}"),
                    // No quote_id: what quote_accepted reads from it is missing.
                    CloudEvents.event("crm.quote.accepted", quote, UUID.randomUUID().toString(), tenant,
                            "{\"marker\":\"no-quote-" + marker + "\"}"),
                    // No source: not a CloudEvent one can identify.
                    withoutSource(CloudEvents.event("crm.quote.accepted", quote, UUID.randomUUID().toString(), tenant,
                            "{\"quote_id\":\"" + quote + "\",\"marker\":\"no-source-" + marker + "\"}")),
                    CloudEvents.event("crm.quote.accepted", quote, UUID.randomUUID().toString(), tenant,
                            "{\"quote_id\":\"" + quote + "\"}"))
                    .awaitCompletion(Duration.ofSeconds(30));

            await().atMost(Duration.ofSeconds(30)).until(() -> dlq.getRecords().stream().filter(r -> r.value().contains(marker)).count() == 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> executions(tenant, "quote_accepted").size() == 1);
        } finally {
            dlq.stop();
        }
    }
}
