package io.dotmac.workflow.inbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overview's events, tenant by tenant: an event taken in is counted with its way here, one the
 * engine cannot take (a CloudEvent without its source) goes to the dead-letter topic and is counted
 * under the tenant it named; another tenant sees neither.
 */
@QuarkusTest
class DeadLetterStatsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaCompanion companion;
    final String tenant = "t-dlq-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void anEventTakenInAndOneDeadLetteredAreCountedForTheTenantTheyNamed() {
        String payment = UUID.randomUUID().toString();
        ProducerRecord<String, String> taken = CloudEvents.event("billing.payment.updated", payment, UUID.randomUUID().toString(), tenant,
                "{\"payment_id\": \"" + payment + "\", \"status\": \"pending\"}");
        ProducerRecord<String, String> sourceless = CloudEvents.event("billing.payment.updated", payment, UUID.randomUUID().toString(),
                tenant, "{\"payment_id\": \"" + payment + "\"}");
        sourceless.headers().remove("ce_source");
        companion.produceStrings().fromRecords(taken, sourceless).awaitCompletion();

        String reader = TestTokens.token(tenant, "reader");
        JsonPath events = await().atMost(Duration.ofSeconds(30)).until(() -> events(reader),
                answer -> answer.getList("topics").size() == 1 && answer.getInt("topics[0].dead_lettered") == 1);
        Map<String, Object> topic = events.getMap("topics[0]");
        assertEquals("billing.payment.updated", topic.get("topic"));
        assertEquals(1, topic.get("received"));
        assertEquals(1, topic.get("dead_lettered"));
        assertEquals(0, topic.get("deferred"));
        assertNotNull(topic.get("lag_p50_ms"), "its way here from its time");
        assertEquals(List.of(), events(TestTokens.token("t-dlq-other-" + UUID.randomUUID(), "reader")).getList("topics"));
    }

    private static JsonPath events(String token) {
        return given().auth().oauth2(token).get("/api/v1/workflows/stats/events?range=1h").then().statusCode(200).extract().jsonPath();
    }
}
