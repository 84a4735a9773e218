package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.dotmac.workflow.metrics.Scrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * {@code workflow.event.lag}: from an event's CloudEvent time to the execution it started and the
 * waiting execution it woke, by topic.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class EventLagTest {

    private static final String TOPIC = "crm.quote.accepted";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    WireMockServer stub = DownstreamStub.server();

    private static String status(String token, String id) {
        return given().auth().oauth2(token).when().get("/api/v1/workflows/executions/" + id).then().extract().path("status");
    }

    @Test
    void theLagFromTheEventsTimeIsRecordedForTheStartAndTheWake() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.token(tenant, "admin");
        String quote = UUID.randomUUID().toString();
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/from-quote"))
                .willReturn(okJson("{\"id\":\"O-" + quote + "\",\"status\":\"draft\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/submit"))
                .willReturn(okJson("{\"id\":\"O-" + quote + "\",\"status\":\"active\"}")));
        stub.stubFor(get(urlEqualTo("/api/v1/crm/quotes/" + quote)).willReturn(okJson("{\"id\":\"" + quote + "\",\"status\":\"accepted\"}")));
        // An execution of the tenant waits for this quote's acceptance.
        String name = "lag_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name": "%s", "version": "1.0.0", "inputs": ["quote"],
                 "steps": [{"name": "wait_for_acceptance", "type": "condition", "condition": "quote.status == 'accepted'",
                            "timeout_seconds": 86400,
                            "wake_on": {"event": "crm.quote.accepted", "key": "${quote.id}"}}]}""".formatted(name))
                .when().post("/api/v1/workflows").then().statusCode(201);
        String waiting = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"workflow_name\": \"" + name + "\", \"context\": {\"quote\": {\"id\": \"" + quote + "\", \"status\": \"sent\"}}}")
                .when().post("/api/v1/workflows/execute").then().statusCode(202).extract().path("execution_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "waiting".equals(status(admin, waiting)));

        Scrape before = Scrape.now();
        ProducerRecord<String, String> event = CloudEvents.event(TOPIC, quote, UUID.randomUUID().toString(), tenant,
                "{\"quote_id\":\"" + quote + "\"}");
        // Emitted three seconds ago, as if the relay and the broker had been slow.
        event.headers().remove("ce_time");
        event.headers().add("ce_time", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(3).toString().getBytes(StandardCharsets.UTF_8));
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            companion.produceStrings().fromRecords(event).awaitCompletion(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> grew(before, Scrape.now(), "start") && grew(before, Scrape.now(), "wake"));
        Scrape after = Scrape.now();
        for (String action : new String[] {"start", "wake"}) {
            double count = delta(before, after, "workflow_event_lag_seconds_count", action);
            double sum = delta(before, after, "workflow_event_lag_seconds_sum", action);
            assertTrue(sum >= 3.0 * count, action + ": " + sum + " s over " + count + " events emitted 3 s before");
            assertTrue(!after.find("workflow_event_lag_seconds_bucket", "topic", TOPIC, "action", action).isEmpty(), action);
        }
        // Its context never changes, so it would wait for a day, re-checked by every later test run.
        given().auth().oauth2(admin).when().post("/api/v1/workflows/executions/" + waiting + "/cancel").then().statusCode(202);
    }

    private static boolean grew(Scrape before, Scrape after, String action) {
        return delta(before, after, "workflow_event_lag_seconds_count", action) >= 1;
    }

    private static double delta(Scrape before, Scrape after, String sample, String action) {
        return after.value(sample, "topic", TOPIC, "action", action) - before.value(sample, "topic", TOPIC, "action", action);
    }
}
