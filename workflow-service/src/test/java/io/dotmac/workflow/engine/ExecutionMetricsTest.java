package io.dotmac.workflow.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.dotmac.workflow.metrics.Scrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The engine's metrics on /q/metrics, as Prometheus scrapes them: executions started and finished
 * by workflow and status, step durations as histograms, retries, and the executions waiting.
 * Every test uses workflows of its own, so the counts are exact.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class ExecutionMetricsTest {

    @Inject
    EngineTestSupport support;

    @Inject
    WorkflowEngine engine;

    WireMockServer stub = DownstreamStub.server();

    @Test
    void aRunCountsItsStartItsEndItsStepsAndItsRetries() {
        String lead = UUID.randomUUID().toString().substring(0, 8);
        String url = "/api/v1/crm/leads/" + lead + "/qualify";
        stub.stubFor(post(urlEqualTo(url)).inScenario(lead).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        stub.stubFor(post(urlEqualTo(url)).inScenario(lead).whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        stub.stubFor(post(urlEqualTo(url)).inScenario(lead).whenScenarioStateIs("third")
                .willReturn(okJson("{\"status\":\"qualified\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"},"result":"lead","retry":{"max_attempts":3,"backoff_seconds":0.05}},
                 {"name":"prepare","type":"transform","set":{"ref":"Q-${lead_id}"}},
                 {"name":"never","type":"transform","when":"lead.status == 'lost'","set":{"x":1}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        assertEquals("completed", support.awaitTerminal(execution).get("status"));

        // The end is counted after its checkpoint commits, a moment after the row says completed.
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.now()
                .value("workflow_executions_finished_seconds_count", "workflow", workflow, "status", "completed") == 1);
        Scrape scrape = Scrape.now();
        assertEquals(1, scrape.value("workflow_executions_started_total", "workflow", workflow, "trigger_type", "manual"));
        assertEquals(0, scrape.value("workflow_executions_finished_seconds_count", "workflow", workflow, "status", "failed"));
        assertEquals(2, scrape.value("workflow_step_retries_total", "workflow", workflow, "step", "qualify"));
        assertStepHistogram(scrape, workflow, "qualify", "service_call", "completed");
        assertStepHistogram(scrape, workflow, "prepare", "transform", "completed");
        assertStepHistogram(scrape, workflow, "never", "transform", "skipped");
        // Two 503s and their backoffs are in the step's duration.
        assertTrue(scrape.value("workflow_step_duration_seconds_sum", "workflow", workflow, "step", "qualify") >= 0.1);
    }

    @Test
    void aFailedRunIsCountedAsFailedWithItsFailedStep() {
        String lead = UUID.randomUUID().toString().substring(0, 8);
        stub.stubFor(post(urlEqualTo("/api/v1/crm/leads/" + lead + "/qualify"))
                .willReturn(aResponse().withStatus(400).withBody("{\"detail\":\"no\"}")));
        String workflow = support.define("[\"lead_id\"]", """
                [{"name":"qualify","type":"service_call","service":"crm_service","method":"qualify_lead",
                  "params":{"lead_id":"${lead_id}"}}]""");

        UUID execution = support.start(workflow, Map.of("lead_id", lead));
        assertEquals("failed", support.awaitTerminal(execution).get("status"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.now()
                .value("workflow_executions_finished_seconds_count", "workflow", workflow, "status", "failed") == 1);
        Scrape scrape = Scrape.now();
        assertStepHistogram(scrape, workflow, "qualify", "service_call", "failed");
        assertEquals(0, scrape.value("workflow_step_retries_total", "workflow", workflow, "step", "qualify"),
                "a 4xx is not retried");
    }

    @Test
    void waitingExecutionsAreCountedByWorkflowUntilTheyEnd() {
        String workflow = support.define("[\"ready\"]", """
                [{"name":"until_ready","type":"condition","condition":"ready == true","timeout_seconds":3600}]""");

        UUID first = support.start(workflow, Map.of("ready", false));
        UUID second = support.start(workflow, Map.of("ready", false));
        support.awaitStatus(first, "waiting");
        support.awaitStatus(second, "waiting");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                Scrape.now().value("workflow_executions_waiting", "workflow", workflow) == 2);

        engine.cancel(first).await().atMost(Duration.ofSeconds(5));
        engine.cancel(second).await().atMost(Duration.ofSeconds(5));
        support.awaitStatus(first, "cancelled");
        support.awaitStatus(second, "cancelled");

        // Still reported, as 0, once none waits.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Scrape.now().value("workflow_executions_waiting", "workflow", workflow) == 0
                        && !Scrape.now().find("workflow_executions_waiting", "workflow", workflow).isEmpty());
        // A cancel is counted whether it took effect at once or through the execution's driver.
        await().atMost(Duration.ofSeconds(10)).until(() -> Scrape.now()
                .value("workflow_executions_finished_seconds_count", "workflow", workflow, "status", "cancelled") == 2);
    }

    private static void assertStepHistogram(Scrape scrape, String workflow, String step, String type, String status) {
        String[] series = {"workflow", workflow, "step", step, "type", type, "status", status};
        assertEquals(1, scrape.value("workflow_step_duration_seconds_count", series), step + " " + status);
        List<Scrape.Sample> buckets = scrape.find("workflow_step_duration_seconds_bucket", series);
        assertTrue(buckets.size() >= 10, () -> step + ": buckets " + buckets);
        assertEquals(1, buckets.stream().filter(b -> "+Inf".equals(b.labels().get("le"))).findFirst().orElseThrow().value());
    }
}
