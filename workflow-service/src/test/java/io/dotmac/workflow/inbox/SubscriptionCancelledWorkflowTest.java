package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code subscription_cancelled}, driven by billing.subscription.cancelled on the real
 * broker against the services' stand-ins; each test's tenant publishes it with a retention of
 * seconds (as a tenant chooses its own), so what runs is the built-in's logic.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class SubscriptionCancelledWorkflowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaCompanion companion;
    WireMockServer stub = DownstreamStub.server();

    final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    final String quote = UUID.randomUUID().toString();
    final String subscription = UUID.randomUUID().toString();
    final String stripeSubscription = "sub_" + UUID.randomUUID().toString().replace("-", "");
    final TenantWorkflows workflows = new TenantWorkflows(tenant);

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
        // The journal is the whole JVM's: each stub and check names this test's quote.
        for (String path : List.of("/api/v1/licenses/expire", "/api/v1/sales/tenants/deprovision")) {
            stub.stubFor(post(urlEqualTo(path))
                    .withRequestBody(matchingJsonPath(path.contains("licenses") ? "$.source_id" : "$.quote_id", WireMock.equalTo(quote)))
                    .willReturn(okJson("{\"changed\": 1}")));
        }
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void anEndedSubscriptionExpiresTheLicensesAtOnceAndTearsThePlatformDownAfterTheRetentionOnce() {
        workflows.publishBuiltin("subscription_cancelled", Map.of("keep_for_retention", 1));
        subscriptionIs("canceled");
        platformIs(200, "active");
        // Stripe may deliver customer.subscription.deleted twice; billing publishes once, but the engine holds either way.
        ended();
        ended();

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("subscription_cancelled"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        JsonPath done = workflows.execution(id);
        assertEquals(List.of("get_subscription", "subscription_ended", "expire_licenses", "get_platform", "keep_for_retention",
                "deprovision_platform"), done.getList("steps.step_name"));
        assertEquals(List.of("completed", "completed", "completed", "completed", "failed", "completed"), done.getList("steps.status"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/expire"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":expire_licenses"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"reason\": \"subscription " + subscription + " ended\"}")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/deprovision"))
                .withRequestBody(equalToJson("{\"quote_id\": \"" + quote + "\", \"reason\": \"subscription " + subscription + " ended\"}")));
        assertEquals(1, workflows.executions("subscription_cancelled").size());
    }

    @Test
    void aPlatformTornDownAlreadyOrNeverProvisionedIsNotKeptNorTornDownAgain() {
        workflows.publishBuiltin("subscription_cancelled", Map.of("keep_for_retention", 600));
        subscriptionIs("canceled");
        platformIs(200, "deprovisioned");
        ended();
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("subscription_cancelled"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        assertEquals(List.of("completed", "completed", "completed", "completed", "completed", "skipped"),
                workflows.execution(id).getList("steps.status"));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/deprovision"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));

        // A journey refunded before it provisioned anything: sales knows no platform of the quote.
        platformIs(404, null);
        String again = UUID.randomUUID().toString();
        stub.stubFor(get(urlEqualTo("/api/v1/billing/subscriptions/" + again)).willReturn(okJson(
                "{\"id\": \"%s\", \"quote_id\": \"%s\", \"status\": \"canceled\"}".formatted(again, quote))));
        ended(again);
        String second = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("subscription_cancelled"),
                ids -> ids.size() == 2).stream().filter(other -> !other.equals(id)).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(second).getString("status")));
        // Sales is asked again at the first check (a platform it could not be asked about is never taken for none),
        // then whatever order of the quote is left is cancelled.
        assertEquals(List.of("completed", "completed", "completed", "failed", "failed", "completed"),
                workflows.execution(second).getList("steps.status"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/deprovision"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));
    }

    @Test
    void anEventOfASubscriptionBillingReportsLiveExpiresNothing() {
        workflows.publishBuiltin("subscription_cancelled", Map.of("keep_for_retention", 600));
        subscriptionIs("active");
        ended();
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("subscription_cancelled"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(workflows.execution(id).getString("status")));
        assertEquals("step 'subscription_ended' failed: subscription " + subscription + " is active, not ended: nothing expires",
                workflows.execution(id).getString("error_message"));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/expire"))
                .withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote))));
    }

    private void subscriptionIs(String status) {
        stub.stubFor(get(urlEqualTo("/api/v1/billing/subscriptions/" + subscription)).willReturn(okJson(
                "{\"id\": \"%s\", \"quote_id\": \"%s\", \"status\": \"%s\"}".formatted(subscription, quote, status))));
    }

    private void platformIs(int status, String platform) {
        stub.stubFor(get(urlEqualTo("/api/v1/sales/tenants/by-quote/" + quote)).willReturn(status == 200
                ? okJson("{\"quote_id\": \"%s\", \"status\": \"%s\"}".formatted(quote, platform))
                : aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\": " + status + ", \"detail\": \"no order of the quote\"}")));
    }

    private void ended() {
        ended(subscription);
    }

    private void ended(String subscriptionId) {
        companion.produceStrings().fromRecords(CloudEvents.event("billing.subscription.cancelled", stripeSubscription,
                UUID.randomUUID().toString(), tenant, """
                        {"subscription_id": "%s", "quote_id": "%s", "stripe_subscription_id": "%s"}"""
                        .formatted(subscriptionId, quote, stripeSubscription))).awaitCompletion(Duration.ofSeconds(30));
    }
}
