package io.dotmac.workflow.engine;

import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Given an execution's state, what comes next: run a step, undo one, or finish. Pure: it reads the
 * state and the time, and changes nothing, so every rule of "what next" is here and tested on its own.
 */
final class Decider {

    sealed interface Decision {
    }

    record RunStep(int index) implements Decision {
    }

    /** Undo the completed step at {@code index} (its {@code compensate}). */
    record Compensate(int index) implements Decision {
    }

    record Finish(ExecutionStatus status, String error, Object result) implements Decision {
    }

    private Decider() {
    }

    static Decision decide(ExecutionState state, Instant now, Duration executionTimeout) {
        if (state.compensating()) {
            // Undoing runs to its end: neither a cancel nor the execution's timeout leaves it half done.
            int undone = state.compensationStep - state.definition.steps().size();
            return undone < state.compensationPlan.size()
                    ? new Compensate(state.compensationPlan.get(undone))
                    : new Finish(ExecutionStatus.FAILED, state.errorMessage, null);
        }
        if (state.cancelRequested) {
            return new Finish(ExecutionStatus.CANCELLED, "cancelled", null);
        }
        if (state.runningTimeMs(now) > executionTimeout.toMillis()) {
            return new Finish(ExecutionStatus.FAILED, "execution ran for longer than " + executionTimeout.toSeconds()
                    + " s (WORKFLOW_EXECUTION_TIMEOUT; time spent waiting does not count)", null);
        }
        if (state.currentStep >= state.definition.steps().size()) {
            return new Finish(ExecutionStatus.COMPLETED, null, produced(state));
        }
        return new RunStep(state.currentStep);
    }

    /** The result of a completed execution: what its steps put into the context (the inputs left out). */
    private static Map<String, Object> produced(ExecutionState state) {
        Map<String, Object> result = new LinkedHashMap<>(state.context);
        state.definition.inputs().forEach(result::remove);
        return result;
    }
}
