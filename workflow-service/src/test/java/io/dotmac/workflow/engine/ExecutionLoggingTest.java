package io.dotmac.workflow.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every line the engine logs while it runs an execution carries the execution's id, its workflow
 * and the step in the MDC, also when several executions run at once, their checkpoints share one
 * commit, and a step waits out a backoff on another thread.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class ExecutionLoggingTest {

    private static final String CATEGORY = "io.dotmac.workflow.engine";

    @Inject
    EngineTestSupport support;

    @Inject
    WorkflowEngine engine;

    WireMockServer stub = DownstreamStub.server();

    final ConcurrentLinkedQueue<Captured> captured = new ConcurrentLinkedQueue<>();
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            // The MDC is read while the record is being written, on the thread and context that wrote it.
            ExtLogRecord ext = (ExtLogRecord) record;
            captured.add(new Captured(ext.getFormattedMessage(), ext.getMdcCopy()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    Level previousLevel;

    record Captured(String message, Map<String, String> mdc) {
    }

    @BeforeEach
    void capture() {
        Logger logger = Logger.getLogger(CATEGORY);
        previousLevel = logger.getLevel();
        logger.setLevel(org.jboss.logmanager.Level.DEBUG);
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        Logger logger = Logger.getLogger(CATEGORY);
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }

    @Test
    void linesWrittenDuringAStepCarryTheExecutionAndTheStep() {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            String url = "/api/v1/crm/leads/" + tag + "/qualify";
            stub.stubFor(post(urlEqualTo(url)).inScenario(tag).whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
            stub.stubFor(post(urlEqualTo(url)).inScenario(tag).whenScenarioStateIs("up")
                    .willReturn(okJson("{\"status\":\"qualified\"}")));
            // Step names of its own, so that each line can be told apart by its text too.
            String call = "call_" + tag;
            String shape = "shape_" + tag;
            String workflow = support.define("[\"lead_id\"]", """
                    [{"name":"%s","type":"service_call","service":"crm_service","method":"qualify_lead",
                      "params":{"lead_id":"${lead_id}"},"result":"lead","retry":{"max_attempts":2,"backoff_seconds":0.05}},
                     {"name":"%s","type":"transform","set":{"ref":"Q-${lead_id}"}}]""".formatted(call, shape));
            runs.add(new Run(workflow, call, shape, tag));
        }
        List<UUID> ids = runs.stream().map(run -> engine.start(new WorkflowEngine.StartRequest(run.workflow(),
                Map.of("lead_id", run.tag()), "tenant-" + run.tag(), "manual", "test", null, null))
                .await().atMost(java.time.Duration.ofSeconds(10)).id()).toList();
        ids.forEach(id -> assertEquals("completed", support.awaitTerminal(id).get("status")));

        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            String id = ids.get(i).toString();
            assertLines(run, run.call() + " failed", id, run.call());
            assertLines(run, run.call() + " completed", id, run.call());
            assertLines(run, run.shape() + " completed", id, run.shape());
            List<Captured> end = captured.stream().filter(c -> c.message().equals("execution " + id + " completed")).toList();
            assertEquals(1, end.size(), "the end of " + id);
            assertEquals(id, end.get(0).mdc().get("execution_id"));
            assertNull(end.get(0).mdc().get("step"), "no step once the execution ends");
        }
    }

    private void assertLines(Run run, String text, String executionId, String step) {
        List<Captured> lines = captured.stream().filter(c -> c.message().contains("step " + text)).toList();
        assertFalse(lines.isEmpty(), () -> "no line 'step " + text + "' among " + captured.size());
        lines.forEach(line -> {
            assertEquals(executionId, line.mdc().get("execution_id"), line::toString);
            assertEquals(run.workflow(), line.mdc().get("workflow"), line::toString);
            assertEquals("tenant-" + run.tag(), line.mdc().get("tenant_id"), line::toString);
            assertEquals(step, line.mdc().get("step"), line::toString);
        });
    }

    record Run(String workflow, String call, String shape, String tag) {
    }
}
