package io.dotmac.workflow.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A step's {@code compensate}: when a critical step fails for good, the steps that completed are
 * undone latest first, each undo a recorded step with its own Idempotency-Key, and the execution
 * ends failed with the original error. Real PostgreSQL, real HTTP to a WireMock stand-in.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class CompensationTest {

    /** License, order, a skipped step with an undo, then an activation that fails for good. */
    private static final String JOURNEY = """
            [{"name":"license","type":"service_call","service":"licensing_service","method":"issue_license",
              "params":{"customer_id":"${slug}","products":[{"product_code":"isp-core","quantity":1}],"source_id":"${quote_id}"},
              "result":"licenses",
              "compensate":{"service":"licensing_service","method":"revoke_licenses","params":{"source_id":"${quote_id}"}}},
             {"name":"order","type":"service_call","service":"sales_service","method":"create_order_from_quote",
              "params":{"quote_id":"${quote_id}"},
              "compensate":{"service":"sales_service","method":"cancel_order","params":{"order_id":"${order.id}"},
                            "retry":{"max_attempts":3,"backoff_seconds":0}}},
             {"name":"never","type":"transform","when":"false","set":{"x":1},
              "compensate":{"service":"sales_service","method":"cancel_order","params":{"order_id":"nope"}}},
             {"name":"activate","type":"service_call","service":"sales_service","method":"submit_order",
              "params":{"order_id":"${order.id}","auto_activate":true}},
             {"name":"after","type":"transform","set":{"y":1}}]""";

    @Inject
    EngineTestSupport support;

    @Inject
    WorkflowEngine engine;

    WireMockServer stub = DownstreamStub.server();

    @Test
    void aFailureForGoodUndoesTheCompletedStepsLatestFirst() {
        String quote = stubJourney();
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/cancel")).willReturn(okJson("{\"status\":\"cancelled\"}")));

        UUID execution = support.start(support.define("[\"quote_id\", \"slug\"]", JOURNEY), Map.of("quote_id", quote, "slug", "acme"));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertTrue(done.get("error_message").toString().startsWith("step 'activate' failed: HTTP 409"), done.get("error_message").toString());
        List<Map<String, Object>> steps = support.steps(execution);
        assertEquals(List.of("license=completed", "order=completed", "never=skipped", "activate=failed",
                        "compensate_order=completed", "compensate_license=completed"),
                steps.stream().map(s -> s.get("step_name") + "=" + s.get("status")).toList());
        assertEquals(List.of(5, 6), steps.subList(4, 6).stream().map(s -> s.get("sequence_number")).toList(),
                "undos are recorded after the definition's five steps");
        assertEquals("compensation", steps.get(4).get("step_type"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/cancel"))
                .withHeader("Idempotency-Key", equalTo(execution + ":compensate_order")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/revoke"))
                .withRequestBody(equalToJson("{\"source_id\":\"" + quote + "\"}"))
                .withHeader("Idempotency-Key", equalTo(execution + ":compensate_license")));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/sales/orders/nope/cancel")));
        // Undone work cannot be resumed.
        assertFalse(engine.retry(execution).await().atMost(Duration.ofSeconds(10)), "a compensated execution is not retried");
    }

    @Test
    void anUndoThatFailsLeavesTheOthersToRunAndAnOperatorCompensatesAgain() {
        String quote = stubJourney();
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/cancel"))
                .willReturn(aResponse().withStatus(409).withBody("{\"detail\":\"order is being provisioned\"}")));

        UUID execution = support.start(support.define("[\"quote_id\", \"slug\"]", JOURNEY), Map.of("quote_id", quote, "slug", "acme"));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        String error = done.get("error_message").toString();
        assertTrue(error.startsWith("step 'activate' failed") && error.contains("compensate_order failed: HTTP 409"), error);
        List<Map<String, Object>> first = support.steps(execution);
        assertEquals(List.of("compensate_order=failed", "compensate_license=completed"),
                first.subList(4, 6).stream().map(s -> s.get("step_name") + "=" + s.get("status")).toList());

        // The order can be cancelled now: the operator runs the compensation again, as a second run.
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/cancel")).willReturn(okJson("{\"status\":\"cancelled\"}")));
        assertTrue(engine.compensate(execution).await().atMost(Duration.ofSeconds(10)));
        Map<String, Object> again = support.awaitTerminal(execution);
        assertEquals("failed", again.get("status"));
        assertEquals(2, again.get("run_number"));
        // The error is the failure's again: the first undo's failure was finished by this run.
        assertTrue(again.get("error_message").toString().startsWith("step 'activate' failed: HTTP 409")
                && !again.get("error_message").toString().contains("compensate_"), again.get("error_message").toString());
        List<Map<String, Object>> second = support.steps(execution).stream().filter(s -> (int) s.get("run_number") == 2).toList();
        assertEquals(List.of("compensate_order=completed", "compensate_license=completed"),
                second.stream().map(s -> s.get("step_name") + "=" + s.get("status")).toList());
        // The same keys as the first time: the services answer a repeated undo as they did.
        stub.verify(2, postRequestedFor(urlEqualTo("/api/v1/licenses/revoke"))
                .withHeader("Idempotency-Key", equalTo(execution + ":compensate_license")));
    }

    @Test
    void nothingCompletedWithAnUndoFailsAsBeforeAndCannotBeCompensated() {
        String quote = UUID.randomUUID().toString();
        stub.stubFor(post(urlEqualTo("/api/v1/licenses")).withRequestBody(equalToJson("{\"source_id\":\"" + quote + "\"}", true, true))
                .willReturn(aResponse().withStatus(409).withBody("{\"detail\":\"quote not paid\"}")));

        UUID execution = support.start(support.define("[\"quote_id\", \"slug\"]", JOURNEY), Map.of("quote_id", quote, "slug", "acme"));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertEquals(List.of("license=failed"), support.steps(execution).stream()
                .map(s -> s.get("step_name") + "=" + s.get("status")).toList());
        assertFalse(engine.compensate(execution).await().atMost(Duration.ofSeconds(10)), "nothing to undo");
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/revoke"))
                .withRequestBody(equalToJson("{\"source_id\":\"" + quote + "\"}")));
    }

    @Test
    void aStepCompletedSinceTheLastCheckpointIsUndoneToo() {
        // A condition without a refresh completes without a checkpoint of its own; the failure right
        // after it must still find it completed.
        String quote = UUID.randomUUID().toString();
        stub.stubFor(post(urlEqualTo("/api/v1/licenses")).withRequestBody(equalToJson("{\"source_id\":\"" + quote + "\"}", true, true))
                .willReturn(aResponse().withStatus(409).withBody("{\"detail\":\"quote not paid in full\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/billing/payments/P-" + quote + "/refund")).willReturn(okJson("{\"status\":\"refunded\"}")));
        String workflow = support.define("[\"quote_id\"]", """
                [{"name":"paid","type":"condition","condition":"quote_id != ''",
                  "compensate":{"service":"billing_service","method":"refund_payment","params":{"payment_id":"P-${quote_id}"}}},
                 {"name":"license","type":"service_call","service":"licensing_service","method":"issue_license",
                  "params":{"customer_id":"acme","products":[],"source_id":"${quote_id}"}}]""");

        UUID execution = support.start(workflow, Map.of("quote_id", quote));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertEquals(List.of("paid=completed", "license=failed", "compensate_paid=completed"), support.steps(execution).stream()
                .map(s -> s.get("step_name") + "=" + s.get("status")).toList());
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/billing/payments/P-" + quote + "/refund")));
        assertTrue(done.get("error_message").toString().startsWith("step 'license' failed: HTTP 409"), done.get("error_message").toString());
    }

    /** Licensing and order creation succeed for a fresh quote; its activation answers 409 (not retried). */
    private String stubJourney() {
        String quote = UUID.randomUUID().toString();
        stub.stubFor(post(urlEqualTo("/api/v1/licenses")).withRequestBody(equalToJson("{\"source_id\":\"" + quote + "\"}", true, true))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"licenses\":[{\"id\":\"L-" + quote + "\"}]}")));
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/from-quote")).withRequestBody(equalToJson("{\"quote_id\":\"" + quote + "\"}"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"O-" + quote + "\",\"status\":\"draft\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/sales/orders/O-" + quote + "/submit"))
                .willReturn(aResponse().withStatus(409).withBody("{\"detail\":\"activation of isp-core failed\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/licenses/revoke")).withRequestBody(equalToJson("{\"source_id\":\"" + quote + "\"}"))
                .willReturn(okJson("{\"revoked\":1}")));
        return quote;
    }
}
