package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A waiting execution is woken by the event it waits for, within seconds, although its own next
 * check is an hour away (this profile's recheck interval).
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
@TestProfile(EventWakeTest.SlowRechecks.class)
class EventWakeTest {

    public static class SlowRechecks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workflow.condition-recheck-initial", "1h", "workflow.condition-recheck-max", "2h");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    WireMockServer stub = DownstreamStub.server();

    private static String status(String token, String id) {
        return given().auth().oauth2(token).when().get("/api/v1/workflows/executions/" + id).then().extract().path("status");
    }

    @Test
    void theAcceptedQuoteWakesTheExecutionWaitingForIt() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.token(tenant, "admin");
        String quote = UUID.randomUUID().toString();
        String name = "wake_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        stub.stubFor(get(urlEqualTo("/api/v1/crm/quotes/" + quote)).willReturn(okJson("{\"id\":\"" + quote + "\",\"status\":\"sent\"}")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"name": "%s", "version": "1.0.0", "inputs": ["quote"],
                 "steps": [{"name": "wait_for_acceptance", "type": "condition", "condition": "quote.status == 'accepted'",
                            "timeout_seconds": 86400,
                            "refresh": {"service": "crm_service", "method": "get_quote", "params": {"quote_id": "${quote.id}"}, "result": "quote"},
                            "wake_on": {"event": "crm.quote.accepted", "key": "${quote.id}"}}]}""".formatted(name))
                .when().post("/api/v1/workflows").then().statusCode(201);
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"workflow_name\": \"" + name + "\", \"context\": {\"quote\": {\"id\": \"" + quote + "\", \"status\": \"sent\"}}}")
                .when().post("/api/v1/workflows/execute").then().statusCode(202).extract().path("execution_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> "waiting".equals(status(admin, id)));

        stub.stubFor(get(urlEqualTo("/api/v1/crm/quotes/" + quote)).willReturn(okJson("{\"id\":\"" + quote + "\",\"status\":\"accepted\"}")));
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            companion.produceStrings().fromRecords(CloudEvents.event("crm.quote.accepted", quote, UUID.randomUUID().toString(),
                    tenant, "{\"quote_id\":\"" + quote + "\"}")).awaitCompletion(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> "completed".equals(status(admin, id)));
    }
}
