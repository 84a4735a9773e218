package io.dotmac.workflow.definition;

import java.time.Duration;

/**
 * One step of a workflow as the engine runs it: what every type of step has. Each type's record
 * lives in its package under {@code io.dotmac.workflow.steps} with its reader and its handler
 * ({@code StepTypes} lists them). Not a sealed interface: in an application without a module
 * descriptor, a sealed type's records would all have to be in its own package.
 */
public interface StepDefinition {

    /** How the engine names a step's undo ({@code compensate_<step>}); no step of a definition is named so. */
    String UNDO_PREFIX = "compensate_";

    String name();

    /** Its type's name in the JSON ({@link StepType#name()}). */
    String type();

    /** False: a failure is recorded and the execution goes on. */
    boolean critical();

    /** Guard expression evaluated before the step; false skips it (null: always runs). */
    String when();

    /** How a failed attempt is tried again; null: the engine's configured default applies. */
    default RetryPolicy retry() {
        return null;
    }

    /** Nullable: how the step is undone if the execution fails for good after it completed. */
    Compensation compensate();

    /** {@code timeout}, which may be absent, if it is positive. */
    static Duration positive(Duration timeout, String step) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("step " + step + ": timeout must be positive, was " + timeout);
        }
        return timeout;
    }
}
