package io.dotmac.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.steps.transform.TransformStep;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private static ExecutionState state(int currentStep, long runningMs) {
        WorkflowDefinition definition = new WorkflowDefinition("w", "1.0.0", null, List.of("lead_id"), List.of(
                new TransformStep("a", true, null, Map.of("x", 1), null),
                new TransformStep("b", true, null, Map.of("y", 2), null)),
                List.of(), List.of(), null);
        Map<String, Object> context = new LinkedHashMap<>(Map.of("lead_id", "L1", "x", 1, "y", 2));
        return new ExecutionState(UUID.randomUUID(), "test:1", null, definition, context, 1, currentStep, runningMs, NOW);
    }

    @Test
    void runsTheCurrentStep() {
        assertEquals(new Decider.RunStep(1), Decider.decide(state(1, 0), NOW, TIMEOUT));
    }

    @Test
    void completesAfterTheLastStepWithWhatTheStepsProduced() {
        Decider.Decision decision = Decider.decide(state(2, 0), NOW, TIMEOUT);

        assertEquals(new Decider.Finish(ExecutionStatus.COMPLETED, null, Map.of("x", 1, "y", 2)), decision);
    }

    @Test
    void aCancelRequestWinsOverTheNextStep() {
        ExecutionState state = state(0, 0);
        state.cancelRequested = true;

        assertEquals(ExecutionStatus.CANCELLED, ((Decider.Finish) Decider.decide(state, NOW, TIMEOUT)).status());
    }

    @Test
    void runningTimeBeyondTheExecutionTimeoutFails() {
        // 59 minutes before this slice plus 2 minutes in it: over the hour.
        ExecutionState state = state(0, Duration.ofMinutes(59).toMillis());

        Decider.Decision decision = Decider.decide(state, NOW.plus(Duration.ofMinutes(2)), TIMEOUT);

        Decider.Finish finish = (Decider.Finish) decision;
        assertEquals(ExecutionStatus.FAILED, finish.status());
        assertTrue(finish.error().contains("WORKFLOW_EXECUTION_TIMEOUT"), finish.error());
    }

    @Test
    void timeSpentWaitingDoesNotCount() {
        // A slice that began now after days of waiting: only the 59 minutes of running count.
        assertEquals(new Decider.RunStep(0), Decider.decide(state(0, Duration.ofMinutes(59).toMillis()), NOW, TIMEOUT));
    }
}
