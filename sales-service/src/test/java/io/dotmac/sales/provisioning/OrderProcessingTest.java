package io.dotmac.sales.provisioning;

import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.submitAsStep;
import static io.dotmac.sales.testing.SalesApi.allActive;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.cancel;
import static io.dotmac.sales.testing.SalesApi.createFromQuote;
import static io.dotmac.sales.testing.SalesApi.get;
import static io.dotmac.sales.testing.SalesApi.paidOrder;
import static io.dotmac.sales.testing.SalesApi.process;
import static io.dotmac.sales.testing.SalesApi.submit;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.common.config.EventTopics;
import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.Rows;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Submitting and processing orders over HTTP against the real database and broker: the customer
 * tenant, deployment and activations it provisions, a draft processed without a submit, a failed
 * activation and its retry, a taken slug, illegal transitions, the order-activated event, and more
 * orders at once than the database pool has connections.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class OrderProcessingTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final String tenant = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);

    @Inject
    ProvisioningFaults faults;

    @Inject
    Pool database;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTopics topics;



    @Test
    void submitWithAutoActivateProvisionsTenantDeploymentAndServices() throws Exception {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String quoteId = (String) quote.get("id");
        String id = paidOrder(token, quote);
        double active = Metrics.funnel("active");

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrapServers)) {
            var events = kafka.consumeStrings().fromTopics(topics.onBroker(ProvisioningSteps.ORDER_ACTIVATED));
            try {
                JsonPath order = as(token).header("Idempotency-Key", "exec-" + id + ":submit_order").contentType(ContentType.JSON)
                        .body("{\"auto_activate\": true}").when().post(ORDERS + "/" + id + "/submit")
                        .then().statusCode(200)
                        .body("status", equalTo("active"))
                        .body("failure_reason", nullValue())
                        .body("activated_at", notNullValue())
                        .body("tenant.slug", equalTo(slug))
                        .body("tenant.status", equalTo("active"))
                        .body("tenant.created_at", notNullValue())
                        .body("deployment.region", equalTo("eu-west"))
                        .body("deployment.status", equalTo("running"))
                        .body("deployment.endpoint_url", equalTo("https://" + slug + ".tenants.test"))
                        .body("activations.service_code", contains("isp-core", "billing-suite", "support-desk"))
                        .body("activations.status", everyItem(equalTo("completed")))
                        .body("activations.attempts", everyItem(equalTo(1)))
                        .body("activations.error", everyItem(nullValue()))
                        .body("activations.completed_at", everyItem(notNullValue()))
                        .extract().jsonPath();
                String customerTenant = order.getString("tenant.id");
                String deployment = order.getString("deployment.id");
                assertEquals(customerTenant, order.getString("tenant_id"));
                assertEquals(deployment, order.getString("deployment_instance_id"));

                // The engine may send the step again (its answer lost): the order comes back unchanged.
                submit(token, id, true).statusCode(200).body("status", equalTo("active"))
                        .body("tenant_id", equalTo(customerTenant)).body("deployment_instance_id", equalTo(deployment));
                process(token, id).statusCode(200).body("status", equalTo("active"))
                        .body("activations.attempts", everyItem(equalTo(1)));

                ConsumerRecord<String, String> event = await().atMost(Duration.ofSeconds(30)).until(
                        () -> events.getRecords().stream().filter(r -> quoteId.equals(r.key())).findFirst().orElse(null),
                        java.util.Objects::nonNull);
                assertEquals(ProvisioningSteps.ORDER_ACTIVATED, header(event, "ce_type"));
                assertEquals(tenant, header(event, "ce_tenantid"));
                JsonNode data = JSON.readTree(event.value());
                assertEquals(id, data.get("order_id").asText());
                assertEquals("QUOTE-" + quote.get("quote_number"), data.get("external_order_id").asText());
                assertEquals(quoteId, data.get("quote_id").asText());
                assertEquals(slug, data.get("organization_slug").asText());
                assertEquals(customerTenant, data.get("customer_tenant_id").asText());
                assertEquals(deployment, data.get("deployment_instance_id").asText());
                assertEquals("https://" + slug + ".tenants.test", data.get("endpoint_url").asText());
                assertEquals(3, data.get("services").size());
                assertEquals("billing-suite", data.get("services").get(1).get("service_code").asText());
                assertEquals(2, data.get("services").get(1).get("quantity").asInt());
            } finally {
                events.stop();
            }
        }
        // Activated once, however often it was submitted or processed since.
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM outbox_events WHERE topic = $1 AND event_key = $2",
                ProvisioningSteps.ORDER_ACTIVATED, quoteId));
        assertEquals(active + 1, Metrics.funnel("active"));
    }

    @Test
    void concurrentSubmitsProvisionOnce() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = paidOrder(token, quote);

        allActive(IntStream.range(0, 4).<Supplier<ExtractableResponse<Response>>>mapToObj(i -> () -> submit(token, id, true).extract())
                .toList());
        get(token, ORDERS + "/" + id).statusCode(200).body("activations.attempts", everyItem(equalTo(1)));
        provisionedOnce(slug, id, quote);
    }

    @Test
    void concurrentSubmitsWithOneKeyProvisionOnceAndTheKeyKeepsTheActiveAnswer() {
        // An engine's call sent again (after a timeout) while the first still runs: the key holds no
        // transaction around order processing, so both run, one after the other part by part.
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = paidOrder(token, quote);
        Supplier<ExtractableResponse<Response>> keyed = () -> as(token).header("Idempotency-Key", "exec-" + id + ":activate_order")
                .contentType(ContentType.JSON).body("{\"auto_activate\": true}").when().post(ORDERS + "/" + id + "/submit")
                .then().extract();

        allActive(List.of(keyed, keyed, keyed, keyed));
        get(token, ORDERS + "/" + id).statusCode(200).body("activations.attempts", everyItem(equalTo(1)));
        provisionedOnce(slug, id, quote);
        ExtractableResponse<Response> repeat = keyed.get();
        assertEquals("true", repeat.header("Idempotent-Replayed"));
        assertEquals("active", repeat.path("status"));
    }

    @Test
    void moreOrdersAtOnceThanThePoolHasConnectionsAllBecomeActive() {
        // Twelve submits with auto_activate at once on the test pool of four connections: each takes one
        // at a time, three are admitted at once, the rest wait their turn in the bulkhead.
        List<String> ids = IntStream.range(0, 12).mapToObj(i -> paidOrder(token, TestQuotes.accepted(TestQuotes.slug()))).toList();

        allActive(ids.stream().<Supplier<ExtractableResponse<Response>>>map(id -> () -> submitAsStep(token, id)).toList());
        for (String id : ids) {
            assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE order_id = $1", UUID.fromString(id)));
            assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1", UUID.fromString(id)));
        }
    }

    @Test
    void aSubmittedOrderIsProcessedOnRequest() {
        String id = paidOrder(token, TestQuotes.accepted(TestQuotes.slug()));

        // auto_activate absent: submitted, not processed.
        as(token).contentType(ContentType.JSON).body("{}").when().post(ORDERS + "/" + id + "/submit")
                .then().statusCode(200).body("status", equalTo("submitted"))
                .body("tenant", nullValue()).body("activations", empty());
        // Submitting again changes nothing.
        submit(token, id, false).statusCode(200).body("status", equalTo("submitted"));
        process(token, id).statusCode(200).body("status", equalTo("active"))
                .body("tenant_id", notNullValue()).body("deployment_instance_id", notNullValue())
                .body("activations", hasSize(3));
    }

    @Test
    void aPaidDraftProcessedDirectlyIsSubmittedAndProvisioned() {
        // A workflow may call process_order straight after create_order_from_quote, without submit_order.
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = paidOrder(token, quote);
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("draft"));

        JsonPath order = process(token, id).statusCode(200)
                .body("status", equalTo("active"))
                .body("failure_reason", nullValue())
                .body("activated_at", notNullValue())
                .body("tenant.slug", equalTo(slug))
                .body("tenant.status", equalTo("active"))
                .body("deployment.region", equalTo("eu-west"))
                .body("deployment.status", equalTo("running"))
                .body("activations.service_code", contains("isp-core", "billing-suite", "support-desk"))
                .body("activations.status", everyItem(equalTo("completed")))
                .body("activations.attempts", everyItem(equalTo(1)))
                .extract().jsonPath();
        assertEquals(order.getString("tenant.id"), order.getString("tenant_id"));
        assertEquals(order.getString("deployment.id"), order.getString("deployment_instance_id"));
        // Submitted on the way, as submit would have (the API does not show when).
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM orders WHERE id = $1 AND submitted_at IS NOT NULL",
                UUID.fromString(id)));

        // Asked again (its answer lost): the same order, nothing provisioned twice.
        process(token, id).statusCode(200).body("status", equalTo("active"))
                .body("tenant_id", equalTo(order.getString("tenant.id")))
                .body("activations.attempts", everyItem(equalTo(1)));
        provisionedOnce(slug, id, quote);
    }

    @Test
    void concurrentProcessesOfADraftProvisionOnce() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String id = paidOrder(token, quote);

        allActive(IntStream.range(0, 4).<Supplier<ExtractableResponse<Response>>>mapToObj(i -> () -> process(token, id).extract())
                .toList());
        get(token, ORDERS + "/" + id).statusCode(200).body("activations.attempts", everyItem(equalTo(1)));
        provisionedOnce(slug, id, quote);
    }

    private void provisionedOnce(String slug, String orderId, Map<String, Object> quote) {
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1", slug));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1",
                UUID.fromString(orderId)));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM outbox_events WHERE topic = $1 AND event_key = $2",
                ProvisioningSteps.ORDER_ACTIVATED, quote.get("id")));
    }

    @Test
    void anUnpaidDraftProcessedDirectlyIsStillRefusedAndStaysADraft() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        PeerServicesStub.serve(quote);
        PeerServicesStub.noPayment((String) quote.get("id"));
        String id = createFromQuote(token, (String) quote.get("id")).statusCode(201).extract().path("id");

        // The payment check comes before the draft is submitted: the same 409 as before.
        process(token, id).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("has no payment"))
                .body("detail", containsString("cannot be processed"));
        get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("draft"))
                .body("tenant", nullValue()).body("activations", empty());
        assertEquals(0, Rows.count(database, "SELECT count(*) FROM orders WHERE id = $1 AND submitted_at IS NOT NULL",
                UUID.fromString(id)));
        assertEquals(0, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1", slug));
    }

    @Test
    void aFailedActivationLeavesTheOrderFailedAndARetryCompletesItWithoutDuplicates() {
        String slug = TestQuotes.slug();
        String flaky = "flaky-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> quote = TestQuotes.accepted(slug, List.of(
                TestQuotes.item("isp-core", "ISP Core Platform", 1, "299.00"),
                TestQuotes.item(flaky, "Flaky Add-on", 1, "10.00")));
        String id = paidOrder(token, quote);
        String key = "exec-" + id + ":submit_order";

        faults.failActivationsOf(Set.of(flaky));
        JsonPath failed;
        try {
            // Retryable for the engine: 5xx; what was done stays recorded.
            as(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body("{\"auto_activate\": true}")
                    .when().post(ORDERS + "/" + id + "/submit")
                    .then().statusCode(502).contentType("application/problem+json")
                    .body("detail", containsString("activation of " + flaky + " failed"))
                    .body("detail", containsString("resumes where it stopped"));
            failed = get(token, ORDERS + "/" + id).statusCode(200)
                    .body("status", equalTo("failed"))
                    .body("failure_reason", containsString("activation of " + flaky + " failed"))
                    .body("failure_reason", containsString("set to fail"))
                    .body("tenant.slug", equalTo(slug))
                    .body("deployment.status", equalTo("running"))
                    .body("activations.service_code", contains("isp-core", flaky))
                    .body("activations.status", contains("completed", "failed"))
                    .body("activations.attempts", contains(1, 1))
                    .body("activations[1].error", containsString("set to fail"))
                    .body("activations[1].completed_at", nullValue())
                    .extract().jsonPath();
            // Still failing: one more attempt of the failed activation only.
            process(token, id).statusCode(502);
            get(token, ORDERS + "/" + id).statusCode(200).body("status", equalTo("failed"))
                    .body("activations.attempts", contains(1, 2));
        } finally {
            faults.failActivationsOf(Set.of());
        }

        // The engine retries its step with the same key: nothing was stored for it, so it runs and resumes.
        as(token).header("Idempotency-Key", key).contentType(ContentType.JSON).body("{\"auto_activate\": true}")
                .when().post(ORDERS + "/" + id + "/submit")
                .then().statusCode(200)
                .body("status", equalTo("active"))
                .body("failure_reason", nullValue())
                .body("tenant_id", equalTo(failed.getString("tenant.id")))
                .body("deployment_instance_id", equalTo(failed.getString("deployment.id")))
                .body("activations.status", contains("completed", "completed"))
                .body("activations.attempts", contains(1, 3))
                .body("activations[1].error", nullValue());
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1", slug));
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM deployment_instances WHERE order_id = $1", UUID.fromString(id)));
        assertEquals(2, Rows.count(database, "SELECT count(*) FROM service_activations WHERE order_id = $1", UUID.fromString(id)));
    }

    @Test
    void aSlugTakenByAnotherCustomerTenantFailsTheOrderWithTheReason() {
        String slug = TestQuotes.slug();
        String first = paidOrder(token, TestQuotes.accepted(slug));
        submit(token, first, true).statusCode(200).body("status", equalTo("active"));

        // Slugs are DNS names: taken for every API tenant, not only the one that took it.
        String otherToken = TestTokens.engine("other-" + UUID.randomUUID().toString().substring(0, 8));
        String second = paidOrder(otherToken, TestQuotes.accepted(slug));
        submit(otherToken, second, true).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("organization slug '" + slug + "' is already taken"));
        get(otherToken, ORDERS + "/" + second).statusCode(200)
                .body("status", equalTo("failed"))
                .body("failure_reason", equalTo("organization slug '" + slug + "' is already taken by another customer tenant"))
                .body("tenant", nullValue())
                .body("deployment", nullValue())
                .body("activations", empty());
        // Trying again cannot help: still 409, still one tenant with that slug.
        process(otherToken, second).statusCode(409);
        assertEquals(1, Rows.count(database, "SELECT count(*) FROM customer_tenants WHERE slug = $1", slug));
        get(token, ORDERS + "/" + first).statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void illegalTransitionsAre409NamingTheStatus() {
        // A draft is no longer 409 to process: it is submitted first (aPaidDraftProcessedDirectlyIsSubmittedAndProvisioned).
        String draft = paidOrder(token, TestQuotes.accepted(TestQuotes.slug()));
        cancel(token, draft).statusCode(200).body("status", equalTo("cancelled"));
        cancel(token, draft).statusCode(200).body("status", equalTo("cancelled"));
        submit(token, draft, true).statusCode(409).body("detail", containsString("is cancelled"));
        submit(token, draft, false).statusCode(409).body("detail", containsString("is cancelled"));
        process(token, draft).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is cancelled: it cannot be processed"));
        get(token, ORDERS + "/" + draft).statusCode(200).body("tenant", nullValue());

        // An active order is no longer 409 to cancel: cancelling is how a journey that failed for good undoes
        // its order, so it tears down what was provisioned and cancels it (OrderCancellationTest); after that,
        // the order moves no more.
        String active = paidOrder(token, TestQuotes.accepted(TestQuotes.slug()));
        submit(token, active, true).statusCode(200).body("status", equalTo("active"));
        cancel(token, active).statusCode(200).body("status", equalTo("cancelled")).body("tenant.status", equalTo("deprovisioned"));
        submit(token, active, true).statusCode(409).body("detail", containsString("is cancelled"));
        process(token, active).statusCode(409).body("detail", containsString("is cancelled"));
    }

    @Test
    void aFailedOrderIsNotSubmittedWithoutActivationButCanBeCancelled() {
        String flaky = "flaky-" + UUID.randomUUID().toString().substring(0, 8);
        String id = paidOrder(token, TestQuotes.accepted(TestQuotes.slug(),
                List.of(TestQuotes.item(flaky, "Flaky Add-on", 1, "10.00"))));
        faults.failActivationsOf(Set.of(flaky));
        try {
            submit(token, id, true).statusCode(502);
        } finally {
            faults.failActivationsOf(Set.of());
        }
        submit(token, id, false).statusCode(409).body("detail", containsString("is failed"));
        cancel(token, id).statusCode(200).body("status", equalTo("cancelled"));
        process(token, id).statusCode(409).body("detail", containsString("is cancelled"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
