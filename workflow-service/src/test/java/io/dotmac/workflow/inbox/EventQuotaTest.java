package io.dotmac.workflow.inbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Events that would start more than the tenant's quota allows wait in the inbox, acknowledged, and
 * start later: none is lost, none goes to the dead-letter topic, and the partition goes on.
 */
@QuarkusTest
class EventQuotaTest {

    /** Its quota (application.properties, test profile): one start a second, a burst of one. */
    private static final String TENANT = "t-flood-ev";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    Pool pool;

    @Test
    void eventsBeyondTheTenantsStartRateWaitInTheInboxAndAllStartLater() {
        String workflow = "flood_" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestTokens.token(TENANT, "admin")).contentType(ContentType.JSON).body("""
                {"name": "%s", "version": "1.0.0", "inputs": ["payment"],
                 "triggers": [{"event": "billing.payment.updated", "context": {"payment": "${data.payment_id}"}}],
                 "steps": [{"name": "note", "type": "transform", "set": {"seen": "${payment}"}}]}""".formatted(workflow))
                .when().post("/api/v1/workflows").then().statusCode(201);
        try {
            startsAllOfThemInTime(workflow);
        } finally {
            // The tenant is shared by every run on this database: its next run must not start this one too.
            given().auth().oauth2(TestTokens.token(TENANT, "admin"))
                    .when().post("/api/v1/workflows/" + workflow + "/deactivate?version=1.0.0").then().statusCode(200);
        }
    }

    private void startsAllOfThemInTime(String workflow) {
        List<String> ids = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID().toString()).toList();

        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            companion.produceStrings().fromRecords(ids.stream().map(id -> (ProducerRecord<String, String>) CloudEvents.event(
                            "billing.payment.updated", id, id, TENANT, "{\"payment_id\": \"" + id + "\", \"status\": \"succeeded\"}"))
                    .toList()).awaitCompletion(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> given()
                .auth().oauth2(TestTokens.token(TENANT, "reader"))
                .when().get("/api/v1/workflows/executions?workflow_name=" + workflow + "&status=completed")
                .then().statusCode(200).extract().path("items.size()").equals(ids.size()));
        // Some of them waited: only the burst could start at once.
        long waited = pool.preparedQuery("SELECT count(*) FROM inbox_events WHERE event_id = ANY($1) AND processed_at IS NOT NULL")
                .execute(Tuple.of(ids.toArray(String[]::new))).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertTrue(waited >= 1, () -> waited + " of the events waited in the inbox");
    }
}
