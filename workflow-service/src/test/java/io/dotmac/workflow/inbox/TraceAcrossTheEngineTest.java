package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One trace from crm's accept to billing's call, the engine's part of it: an accepted quote's event
 * carries the trace it was written in (its CloudEvents traceparent, as crm's outbox relay sends it:
 * OutboxRelayTest; the whole way through the services: ShopIT), the execution it
 * starts runs in that trace, each step records it and is a span of it (OpenTelemetry's in-memory
 * exporter), and the step's call to billing carries it on (the stand-in's traceparent header). An
 * API start is in the trace of the call that made it.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
@TestProfile(TraceAcrossTheEngineTest.Sampled.class)
class TraceAcrossTheEngineTest {

    /** Every trace sampled (kept in memory by the module's InMemorySpans), and flushed at once. */
    public static class Sampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1", "quarkus.otel.bsp.schedule.delay", "100ms");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    InMemorySpanExporter spans;

    KafkaCompanion companion;
    WireMockServer stub = DownstreamStub.server();
    final String tenant = "t-trace-" + UUID.randomUUID().toString().substring(0, 8);
    final String quote = UUID.randomUUID().toString();
    final TenantWorkflows workflows = new TenantWorkflows(tenant);

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
        stub.stubFor(get(urlEqualTo("/api/v1/billing/payments/by-quote/" + quote))
                .willReturn(okJson("{\"id\": \"p-1\", \"quote_id\": \"" + quote + "\", \"status\": \"pending\"}")));
        // The tenant's own quote_accepted: one call to billing.
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body("""
                {"name": "quote_accepted", "version": "9.0.0", "inputs": ["quote_id"],
                 "triggers": [{"event": "crm.quote.accepted", "context": {"quote_id": "${data.quote_id}"}}],
                 "steps": [{"name": "payment", "type": "service_call", "service": "billing_service",
                            "method": "get_payment_by_quote", "params": {"quote_id": "${quote_id}"}, "result": "payment"},
                           {"name": "noted", "type": "transform", "set": {"noted": "${payment.status}"}}]}""")
                .post("/api/v1/workflows").then().statusCode(201);
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void anAcceptedQuotesEventStartsAJourneyInItsTraceAndBillingIsCalledInIt() {
        String trace = randomHex(16);
        String traceparent = "00-" + trace + "-" + randomHex(8) + "-01";
        ProducerRecord<String, String> accepted = CloudEvents.event("crm.quote.accepted", quote, UUID.randomUUID().toString(), tenant,
                "{\"quote_id\": \"" + quote + "\"}");
        accepted.headers().add("ce_traceparent", traceparent.getBytes());
        companion.produceStrings().fromRecords(accepted).awaitCompletion();

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("quote_accepted"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        assertEquals(List.of(trace, trace), workflows.execution(id).getList("steps.trace_id"), "each step is in the event's trace");

        List<LoggedRequest> calls = stub.findAll(getRequestedFor(urlEqualTo("/api/v1/billing/payments/by-quote/" + quote)));
        assertEquals(1, calls.size());
        String sent = calls.get(0).getHeader("traceparent");
        assertTrue(sent != null && sent.startsWith("00-" + trace + "-"), "billing is called in the trace: " + sent);

        List<SpanData> ofTrace = await().atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(trace)).toList(),
                        found -> found.stream().anyMatch(span -> span.getName().equals("quote_accepted/noted")));
        List<String> names = ofTrace.stream().map(SpanData::getName).toList();
        assertTrue(names.containsAll(List.of("start quote_accepted", "quote_accepted/payment", "quote_accepted/noted")), names.toString());
        SpanData step = ofTrace.stream().filter(span -> span.getName().equals("quote_accepted/payment")).findFirst().orElseThrow();
        assertEquals(id, step.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("workflow.execution_id")).findFirst().orElseThrow().getValue());
        // The call to billing is a client span under the step's, whose id is the header's parent.
        assertTrue(ofTrace.stream().anyMatch(span -> span.getParentSpanId().equals(step.getSpanId())
                && sent.contains(span.getSpanId())), "billing's call is a span of the step: " + names);
    }

    @Test
    void anApiStartIsInTheTraceOfItsCaller() {
        String trace = randomHex(16);
        String id = given().auth().oauth2(TestTokens.token(tenant, "operator")).contentType(ContentType.JSON)
                .header("traceparent", "00-" + trace + "-" + randomHex(8) + "-01")
                .body("{\"workflow_name\": \"quote_accepted\", \"context\": {\"quote_id\": \"" + quote + "\"}}")
                .post("/api/v1/workflows/execute?wait=20s").then().statusCode(200).extract().path("id");
        assertEquals(List.of(trace, trace), workflows.execution(id).getList("steps.trace_id"));
        assertFalse(given().auth().oauth2(TestTokens.token(tenant, "reader")).get("/api/v1/workflows/executions/" + id)
                .then().extract().jsonPath().getList("steps.trace_url").stream().anyMatch(url -> url != null),
                "no trace viewer configured: no links");
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return HexFormat.of().formatHex(random);
    }
}
