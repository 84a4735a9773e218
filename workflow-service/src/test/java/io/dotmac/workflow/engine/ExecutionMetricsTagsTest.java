package io.dotmac.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.execution.StepStatus;
import io.dotmac.workflow.metrics.BoundedTags;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tenants name workflows and steps as they like; the metrics keep a bounded number of those names. */
class ExecutionMetricsTagsTest {

    @Test
    void workflowAndStepNamesBeyondTheBoundAreTaggedOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutionMetrics metrics = new ExecutionMetrics(registry, new BoundedTags(3));
        for (int i = 0; i < 10; i++) {
            metrics.started("workflow_" + i, "manual");
            StepRecord step = new StepRecord(UUID.randomUUID(), 1, 0, "step_" + i, "transform", Instant.EPOCH);
            step.finish(StepStatus.COMPLETED, Instant.EPOCH.plusMillis(5));
            metrics.stepFinished("workflow_" + i, step);
            metrics.stepRetried("workflow_" + i, "step_" + i);
        }

        assertEquals(Set.of("workflow_0", "workflow_1", "workflow_2", "other"), tagValues(registry, "workflow.executions.started", "workflow"));
        assertEquals(7, registry.get("workflow.executions.started").tag("workflow", "other").counter().count());
        assertEquals(Set.of("step_0", "step_1", "step_2", "other"), tagValues(registry, "workflow.step.duration", "step"));
        assertEquals(7, registry.get("workflow.step.retries").tags("workflow", "other", "step", "other").counter().count());
    }

    private static Set<String> tagValues(SimpleMeterRegistry registry, String meter, String tag) {
        return registry.find(meter).meters().stream().map(Meter::getId).map(id -> id.getTag(tag)).collect(Collectors.toSet());
    }
}
