package io.dotmac.workflow.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.dotmac.workflow.engine.EngineTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end inside the service: real PostgreSQL, real HTTP to a WireMock stand-in for
 * the downstream services, executions and steps read back from the tables.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class WorkflowEngineTest {

    @Inject
    EngineTestSupport support;

    @Inject
    WorkflowEngine engine;

    WireMockServer stub = DownstreamStub.server();

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void happyPathRecordsEveryStepInOrderWithInputAndOutput() {
        String lead = id();
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify"))
                .willReturn(okJson("{\"id\":\"" + lead + "\",\"status\":\"qualified\",\"customer_email\":\"ada@example.com\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/billing/payments")).withRequestBody(equalToJson("{\"quote_id\":\"Q-" + lead + "\"}", true, true))
                .willReturn(okJson("{\"id\":\"P-" + lead + "\",\"status\":\"succeeded\",\"amount\":1200.10}")));
        String workflow = support.define("[\"lead_id\", \"total\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"result":"lead"},
                 {"name":"prepare","type":"transform","set":{"quote_ref":"Q-${lead.id}","email":"${lead.customer_email}","amount":"${total}"}},
                 {"name":"is_qualified","type":"condition","condition":"lead.status == 'qualified' && amount > 1000"},
                 {"name":"pay","type":"service_call","service":"billing_service","method":"process_payment", "await_outcome": false,
                  "params":{"quote_id":"${quote_ref}","amount":"${amount}","currency":"EUR","customer_email":"${email}"},
                  "result":"payment"}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead, "total", new BigDecimal("1200.10")));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("completed", done.get("status"), () -> "error: " + done.get("error_message"));
        assertNull(done.get("lease_owner"), "a finished execution holds no lease");
        List<Map<String, Object>> steps = support.steps(execution);
        assertEquals(List.of("qualify", "prepare", "is_qualified", "pay"), steps.stream().map(s -> s.get("step_name")).toList());
        steps.forEach(s -> {
            assertEquals("completed", s.get("status"), () -> s.get("step_name") + ": " + s.get("error_message"));
            assertNotNull(s.get("started_at"));
            assertNotNull(s.get("completed_at"));
            assertNotNull(s.get("duration_ms"));
        });
        assertEquals(Map.of("lead_id", lead), json(steps.get(0).get("input")));
        assertEquals("qualified", ((Map<?, ?>) json(steps.get(0).get("output"))).get("status"));
        // Exact decimals end to end: the context, the request body and the recorded input.
        Map<?, ?> payInput = (Map<?, ?>) json(steps.get(3).get("input"));
        assertEquals(new BigDecimal("1200.10"), payInput.get("amount"));
        assertEquals("ada@example.com", payInput.get("customer_email"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/billing/payments"))
                .withRequestBody(equalToJson("{\"quote_id\":\"Q-" + lead + "\",\"amount\":1200.10,\"currency\":\"EUR\",\"customer_email\":\"ada@example.com\"}"))
                .withHeader("Idempotency-Key", equalTo(execution + ":pay")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify"))
                .withHeader("Idempotency-Key", equalTo(execution + ":qualify")));
        Map<?, ?> result = (Map<?, ?>) json(done.get("result"));
        assertEquals("P-" + lead, ((Map<?, ?>) result.get("payment")).get("id"));
    }

    @Test
    void nonCriticalFailureIsRecordedAndTheExecutionGoesOn() {
        String lead = id();
        stub.stubFor(post(urlEqualTo("/api/v1/notifications/welcome-email"))
                .withRequestBody(equalToJson("{\"customer_email\":\"" + lead + "@example.com\"}", true, true))
                .willReturn(aResponse().withStatus(422).withBody("{\"detail\":\"mailbox rejected\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"welcome","type":"service_call","service":"notification_service","method":"send_welcome_email",
                  "params":{"customer_email":"${lead_id}@example.com","tenant_subdomain":"acme"},"critical":false},
                 {"name":"after","type":"transform","set":{"done":true}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("completed", done.get("status"));
        List<Map<String, Object>> steps = support.steps(execution);
        assertEquals("failed", steps.get(0).get("status"));
        assertTrue(steps.get(0).get("error_message").toString().contains("HTTP 422"), steps.get(0).get("error_message").toString());
        assertTrue(steps.get(0).get("error_message").toString().contains("mailbox rejected"));
        assertEquals("completed", steps.get(1).get("status"));
    }

    @Test
    void criticalClientErrorFailsTheExecutionWithoutRetrying() {
        String lead = id();
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify"))
                .willReturn(aResponse().withStatus(400).withBody("{\"detail\":\"lead has no email\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"retry":{"max_attempts":5,"backoff_seconds":0}},
                 {"name":"never","type":"transform","set":{"x":1}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertTrue(done.get("error_message").toString().startsWith("step 'qualify' failed: HTTP 400"), done.get("error_message").toString());
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")));
        List<Map<String, Object>> steps = support.steps(execution);
        assertEquals(1, steps.size(), "no step runs after a critical failure");
        assertEquals(0, steps.get(0).get("retry_count"));
    }

    @Test
    void serverErrorsAreRetriedAndCounted() {
        String lead = id();
        String url = "/api/v1/crm/leads/" + lead + "/qualify";
        stub.stubFor(post(urlEqualTo(url)).inScenario(lead).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        stub.stubFor(post(urlEqualTo(url)).inScenario(lead).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        stub.stubFor(post(urlEqualTo(url)).inScenario(lead).whenScenarioStateIs("third")
                .willReturn(okJson("{\"status\":\"qualified\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"retry":{"max_attempts":3,"backoff_seconds":0.05}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("completed", done.get("status"), () -> "error: " + done.get("error_message"));
        Map<String, Object> step = support.steps(execution).get(0);
        assertEquals(2, step.get("retry_count"));
        assertEquals("completed", step.get("status"));
        // The same key on every attempt: the service applies the effect once.
        stub.verify(3, postRequestedFor(urlEqualTo(url)).withHeader("Idempotency-Key", equalTo(execution + ":qualify")));
    }

    @Test
    void stepTimeoutFailsTheStep() {
        String lead = id();
        stub.stubFor(get(urlEqualTo("/api/v1/crm/leads/" + lead)).willReturn(okJson("{}").withFixedDelay(3000)));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"slow","type":"service_call","service":"crm_service","method":"get_lead",
                  "params":{"lead_id":"${lead_id}"},"timeout_seconds":1,"retry":{"max_attempts":1}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertTrue(done.get("error_message").toString().contains("did not answer within 1000 ms"), done.get("error_message").toString());
    }

    @Test
    void unresolvedPathFailsTheStepNamingThePath() {
        String workflow = support.define("[\"order\"]", """
                [{"name":"process","type":"service_call","service":"sales_service","method":"process_order",
                  "params":{"order_id":"${order.id}"}}]""");

        UUID execution = support.start(workflow, Map.of("order", Map.of("number", "42")));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertTrue(done.get("error_message").toString().contains("${order.id}"), done.get("error_message").toString());
    }

    @Test
    void waitingConditionHoldsNoLeaseAndIsWokenWhenTheDataChanges() {
        String quote = id();
        String url = "/api/v1/crm/quotes/" + quote;
        stub.stubFor(get(urlEqualTo(url)).willReturn(okJson("{\"id\":\"" + quote + "\",\"status\":\"sent\"}")));
        String workflow = support.define("[\"quote\"]", """
                [{"name":"wait_for_acceptance","type":"condition","condition":"quote.status == 'accepted'",
                  "timeout_seconds":3600,
                  "refresh":{"service":"crm_service","method":"get_quote","params":{"quote_id":"${quote.id}"},"result":"quote"}},
                 {"name":"after","type":"transform","set":{"accepted_quote":"${quote.id}"}}]""");

        UUID execution = support.start(workflow, Map.of("quote", Map.of("id", quote, "status", "sent")));
        Map<String, Object> waiting = support.awaitStatus(execution, "waiting");
        assertNull(waiting.get("lease_owner"), "a waiting execution holds no lease");
        assertNotNull(waiting.get("next_wake_at"));
        Map<String, Object> step = support.steps(execution).get(0);
        assertEquals("waiting", step.get("status"));
        assertNotNull(step.get("wait_until"));

        stub.stubFor(get(urlEqualTo(url)).willReturn(okJson("{\"id\":\"" + quote + "\",\"status\":\"accepted\"}")));
        assertTrue(engine.wake(execution).await().atMost(Duration.ofSeconds(5)));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("completed", done.get("status"), () -> "error: " + done.get("error_message"));
        assertEquals(quote, ((Map<?, ?>) json(done.get("context"))).get("accepted_quote"));
        assertEquals("accepted", ((Map<?, ?>) ((Map<?, ?>) json(done.get("context"))).get("quote")).get("status"));
        stub.verify(getRequestedFor(urlEqualTo(url)).withoutHeader("Idempotency-Key"));
    }

    @Test
    void conditionPastItsTimeoutFailsTheStep() {
        String workflow = support.define("[\"quote\"]", """
                [{"name":"wait","type":"condition","condition":"quote.status == 'accepted'","timeout_seconds":1}]""");

        UUID execution = support.start(workflow, Map.of("quote", Map.of("status", "sent")));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("failed", done.get("status"));
        assertTrue(done.get("error_message").toString().contains("still false after 1 s"), done.get("error_message").toString());
    }

    @Test
    void aConditionThatStaysFalseFailsInItsOwnWords() {
        String gate = support.define("[\"payment\"]", """
                [{"name":"paid","type":"condition","condition":"payment.status == 'succeeded'",
                  "error":"payment not received: ${payment.failure_message}"}]""");
        String waited = support.define("[\"payment\"]", """
                [{"name":"paid","type":"condition","condition":"payment.status == 'succeeded'","timeout_seconds":1,
                  "error":"payment not received: ${payment.reason}"}]""");

        Map<String, Object> refused = support.awaitTerminal(support.start(gate,
                Map.of("payment", Map.of("status", "failed", "failure_message", "Your card was declined."))));
        Map<String, Object> timedOut = support.awaitTerminal(support.start(waited, Map.of("payment", Map.of("status", "pending"))));

        assertEquals("failed", refused.get("status"));
        assertTrue(refused.get("error_message").toString().contains("payment not received: Your card was declined."),
                refused.get("error_message").toString());
        // An error text that cannot be resolved keeps the engine's words and says why.
        assertTrue(timedOut.get("error_message").toString().contains("condition `payment.status == 'succeeded'` still false after 1 s"
                + " (its error text payment not received: ${payment.reason} cannot be resolved"), timedOut.get("error_message").toString());
    }

    @Test
    void cancelStopsAWaitingExecution() {
        String workflow = support.define("[\"quote\"]", """
                [{"name":"wait","type":"condition","condition":"quote.status == 'accepted'","timeout_seconds":3600},
                 {"name":"after","type":"transform","set":{"x":1}}]""");
        UUID execution = support.start(workflow, Map.of("quote", Map.of("status", "sent")));
        support.awaitStatus(execution, "waiting");

        assertEquals("cancelled", engine.cancel(execution).await().atMost(Duration.ofSeconds(5)).wire());

        Map<String, Object> done = support.execution(execution);
        assertEquals("cancelled", done.get("status"));
        assertNotNull(done.get("completed_at"));
        List<Map<String, Object>> steps = support.steps(execution);
        assertEquals(1, steps.size());
        assertEquals("cancelled", steps.get(0).get("status"));
        // Cancelling a finished execution changes nothing.
        assertNull(engine.cancel(execution).await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aCancelDuringARetryBackoffStopsTheNextAttempt() {
        String lead = id();
        String url = "/api/v1/crm/leads/" + lead + "/qualify";
        stub.stubFor(post(urlEqualTo(url)).willReturn(aResponse().withStatus(503)));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"retry":{"max_attempts":5,"backoff_seconds":2}}]""");
        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> support.steps(execution).stream()
                .anyMatch(s -> Integer.valueOf(1).equals(s.get("retry_count"))));

        engine.cancel(execution).await().atMost(Duration.ofSeconds(5));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("cancelled", done.get("status"));
        stub.verify(1, postRequestedFor(urlEqualTo(url)));
        assertEquals("cancelled", support.steps(execution).get(0).get("status"));
    }

    private String qualifyThenQuote() {
        return support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"result":"lead"},
                 {"name":"quote","type":"service_call","service":"crm_service","method":"generate_quote",
                  "params":{"lead_id":"${lead_id}"},"result":"quote"}]""");
    }

    @Test
    void aCallThatHangsDoesNotHideTheStepsDoneBeforeIt() {
        String lead = id();
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")).willReturn(okJson("{\"status\":\"qualified\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/quotes"))
                .willReturn(okJson("{\"id\":\"Q1\"}").withFixedDelay(8000)));
        String workflow = qualifyThenQuote();
        UUID execution = support.start(workflow, Map.of("lead_id", lead));

        // Not written after the first call (the second went out at once), but while the second runs on.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> support.steps(execution).stream()
                .anyMatch(s -> "qualify".equals(s.get("step_name")) && "completed".equals(s.get("status"))));
        Map<String, Object> during = support.execution(execution);
        assertEquals("running", during.get("status"));
        assertEquals(1, ((Number) during.get("current_step")).intValue());
        assertEquals("qualified", ((Map<?, ?>) ((Map<?, ?>) json(during.get("context"))).get("lead")).get("status"));

        assertEquals("completed", support.awaitTerminal(execution).get("status"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")));
    }

    @Test
    void aCancelDuringACallStopsTheExecutionBeforeItsNextCall() {
        String lead = id();
        String qualify = "/api/v1/crm/leads/" + lead + "/qualify";
        String quotes = "/api/v1/crm/leads/" + lead + "/quotes";
        stub.stubFor(post(urlEqualTo(qualify)).willReturn(okJson("{\"status\":\"qualified\"}").withFixedDelay(3000)));
        stub.stubFor(post(urlEqualTo(quotes)).willReturn(okJson("{\"id\":\"Q1\"}")));
        String workflow = qualifyThenQuote();
        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> !stub.findAll(postRequestedFor(urlEqualTo(qualify))).isEmpty());

        // The first call's answer is not written before the next step: the cancel flag is read instead.
        engine.cancel(execution).await().atMost(Duration.ofSeconds(5));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("cancelled", done.get("status"));
        stub.verify(0, postRequestedFor(urlEqualTo(quotes)));
        assertEquals("completed", support.steps(execution).get(0).get("status"));
    }

    @Test
    void aDriverThatFailsWithCallsUnwrittenLeavesThemToTheNextDriverNotToAFailedRecord() {
        String lead = id();
        String qualify = "/api/v1/crm/leads/" + lead + "/qualify";
        stub.stubFor(post(urlEqualTo(qualify)).willReturn(okJson("{\"status\":\"qualified\",\"note\":\"poison-" + lead + "\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/quotes")).willReturn(okJson("{\"id\":\"Q1\"}")));
        // The database refuses every write of this execution that holds the first call's answer.
        support.update("""
                CREATE OR REPLACE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$""");
        support.update("CREATE TRIGGER test_refuse_poison BEFORE UPDATE ON workflow_executions FOR EACH ROW"
                + " WHEN (NEW.context::text LIKE '%poison-" + lead + "%') EXECUTE FUNCTION test_refuse_poison()");
        try {
            UUID execution = support.start(qualifyThenQuote(), Map.of("lead_id", lead));

            // Not "the engine could not go on" after the first driver, with the calls it made unrecorded: each
            // next driver sends them again with the same keys, until the execution is quarantined as a poison one.
            Map<String, Object> done = support.awaitTerminal(execution);
            assertEquals("failed", done.get("status"));
            assertTrue(done.get("error_message").toString().startsWith("quarantined"), done.get("error_message").toString());
            assertTrue(stub.findAll(postRequestedFor(urlEqualTo(qualify))).size() >= 2, "sent again by the next driver");
            stub.verify(0, postRequestedFor(urlEqualTo(qualify)).withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock
                    .notMatching(java.util.regex.Pattern.quote(execution + ":qualify"))));
        } finally {
            support.update("DROP TRIGGER test_refuse_poison ON workflow_executions");
        }
    }

    @Test
    void retryResumesFromTheFailedStepAndKeepsTheHistory() {
        String lead = id();
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")).willReturn(okJson("{\"status\":\"qualified\"}")));
        String quotes = "/api/v1/crm/leads/" + lead + "/quotes";
        stub.stubFor(post(urlEqualTo(quotes)).willReturn(aResponse().withStatus(409).withBody("{\"detail\":\"catalog missing\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead","params":{"lead_id":"${lead_id}"}},
                 {"name":"quote","type":"service_call","service":"crm_service","method":"generate_quote","params":{"lead_id":"${lead_id}"}}]""");
        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        assertEquals("failed", support.awaitTerminal(execution).get("status"));

        stub.stubFor(post(urlEqualTo(quotes)).willReturn(okJson("{\"id\":\"Q1\",\"status\":\"draft\"}")));
        assertTrue(engine.retry(execution).await().atMost(Duration.ofSeconds(5)));
        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("completed", done.get("status"), () -> "error: " + done.get("error_message"));
        assertEquals(2, done.get("run_number"));
        List<Map<String, Object>> steps = support.steps(execution);
        assertEquals(List.of("1:qualify:completed", "1:quote:failed", "2:quote:completed"),
                steps.stream().map(s -> s.get("run_number") + ":" + s.get("step_name") + ":" + s.get("status")).toList());
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")));
        assertEquals("Q1", ((Map<?, ?>) ((Map<?, ?>) json(done.get("context"))).get("quote")).get("id"));
        assertTrue(!engine.retry(execution).await().atMost(Duration.ofSeconds(5)), "only a failed execution can be retried");
    }

    @Test
    void anExecutionLeftRunningByADeadInstanceIsFinishedWithTheSameIdempotencyKeys() {
        String lead = id();
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")).willReturn(okJson("{\"status\":\"qualified\"}")));
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/quotes")).willReturn(okJson("{\"id\":\"Q-" + lead + "\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead","params":{"lead_id":"${lead_id}"},"result":"lead"},
                 {"name":"quote","type":"service_call","service":"crm_service","method":"generate_quote","params":{"lead_id":"${lead_id}"}}]""");
        long workflowId = ((Number) support.query("SELECT id FROM workflows WHERE name = ?", workflow).get(0).get("id")).longValue();
        UUID execution = UUID.randomUUID();
        // As a dead instance left it: step 0 committed, step 1 sent (its request reached the
        // service) but not committed, and a lease that ran out.
        support.update("""
                INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context,
                    current_step, lease_owner, lease_expires_at, started_at)
                VALUES (?, ?, ?, '1.0.0', 'running', ?::jsonb, 1, 'dead-instance', now() - interval '1 second', now())""",
                execution, workflowId, workflow, "{\"lead_id\":\"" + lead + "\",\"lead\":{\"status\":\"qualified\"}}");
        support.update("""
                INSERT INTO workflow_steps (execution_id, run_number, sequence_number, step_name, step_type, status, started_at, completed_at)
                VALUES (?, 1, 0, 'qualify', 'service_call', 'completed', now(), now())""", execution);
        sendAsTheDeadInstanceDid(lead, execution + ":quote");

        Map<String, Object> done = support.awaitTerminal(execution);

        assertEquals("completed", done.get("status"), () -> "error: " + done.get("error_message"));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify")));
        // Sent twice, once by each instance, always with the same key: the service's effect happens once.
        stub.verify(2, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/quotes")));
        stub.verify(2, postRequestedFor(urlEqualTo("/api/v1/crm/leads/" + lead + "/quotes"))
                .withHeader("Idempotency-Key", equalTo(execution + ":quote")));
        assertEquals(List.of("qualify:completed", "quote:completed"),
                support.steps(execution).stream().map(s -> s.get("step_name") + ":" + s.get("status")).toList());
    }

    private void sendAsTheDeadInstanceDid(String lead, String key) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(stub.baseUrl() + "/api/v1/crm/leads/" + lead + "/quotes"))
                    .header("Idempotency-Key", key).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
            int status = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(200, status);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void startingWithAKnownIdempotencyKeyReturnsTheSameExecution() {
        String workflow = support.define("[]", "[{\"name\":\"a\",\"type\":\"transform\",\"set\":{\"x\":1}}]");
        String key = "order-" + id();
        var first = engine.start(new WorkflowEngine.StartRequest(workflow, Map.of(), null, "manual", "test", key, null))
                .await().atMost(Duration.ofSeconds(5));
        var second = engine.start(new WorkflowEngine.StartRequest(workflow, Map.of(), null, "manual", "test", key, null))
                .await().atMost(Duration.ofSeconds(5));

        assertTrue(first.created());
        assertEquals(first.id(), second.id());
        assertTrue(!second.created());
        assertEquals(1L, support.query("SELECT count(*) AS n FROM workflow_executions WHERE idempotency_key = ?", "manual:" + key)
                .get(0).get("n"));
    }

    @Test
    void startKeysAreNamespacedByHowTheExecutionStarted() {
        String workflow = support.define("[]", "[{\"name\":\"a\",\"type\":\"transform\",\"set\":{\"x\":1}}]");
        String key = "schedule:" + workflow + ":2026-12-02T12:00:00Z";
        var byApi = engine.start(new WorkflowEngine.StartRequest(workflow, Map.of(), null, "manual", "test", key, null))
                .await().atMost(Duration.ofSeconds(5));
        var bySchedule = engine.start(new WorkflowEngine.StartRequest(workflow, Map.of(), null, "scheduled", "cron", key, null))
                .await().atMost(Duration.ofSeconds(5));

        // A caller of the API that guesses a schedule's key starts its own execution, not the schedule's.
        assertTrue(byApi.created());
        assertTrue(bySchedule.created());
        assertNotEquals(byApi.id(), bySchedule.id());
    }

    @Test
    void missingInputsAndUnknownWorkflowsAreRefused() {
        String workflow = support.define("[\"lead_id\"]", "[{\"name\":\"a\",\"type\":\"transform\",\"set\":{\"x\":\"${lead_id}\"}}]");

        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> support.start(workflow, Map.of("other", 1)));
        assertTrue(missing.getMessage().contains("[lead_id]"), missing.getMessage());
        assertThrows(WorkflowNotFoundException.class, () -> support.start("no_such_workflow", Map.of()));
    }

    @Test
    void anExecutionWhoseDefinitionNoLongerLoadsFailsAndDoesNotHoldUpTheOthers() {
        // A row no parser accepts (as an old test once left behind): claimed, it can never run.
        String broken = "t_broken_" + id();
        long workflowId = ((Number) support.query("""
                INSERT INTO workflows (name, version, definition) VALUES (?, '1.0.0', '{}'::jsonb) RETURNING id""", broken)
                .get(0).get("id")).longValue();
        UUID stuck = UUID.randomUUID();
        support.update("""
                INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context, next_wake_at)
                VALUES (?, ?, ?, '1.0.0', 'running', '{}'::jsonb, now())""", stuck, workflowId, broken);
        String fine = support.define("[]", "[{\"name\":\"set\",\"type\":\"transform\",\"set\":{\"done\":true}}]");

        UUID execution = support.start(fine, Map.of());

        assertEquals("completed", support.awaitTerminal(execution).get("status"));
        Map<String, Object> failed = support.awaitTerminal(stuck);
        assertEquals("failed", failed.get("status"));
        assertTrue(failed.get("error_message").toString().contains("cannot be loaded"), () -> failed.get("error_message").toString());
        assertNull(failed.get("lease_owner"));
    }
}
