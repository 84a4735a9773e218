package io.dotmac.workflow.steps.condition;

import io.dotmac.workflow.definition.Compensation;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.WakeOn;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code condition}: an expression over the context that must become true.
 *
 * @param timeout nullable: how long to wait for it to become true (null: no waiting, a false
 *                condition fails the step)
 * @param refresh nullable: a read-only call whose result refreshes the context before each re-evaluation
 * @param wakeOn  nullable: the event that wakes the waiting condition at once
 * @param error   nullable: a template of the step's error when the condition stays false (null: the
 *                engine says which condition was false)
 */
public record ConditionStep(String name, boolean critical, String when, String condition, Duration timeout,
        ServiceCall refresh, WakeOn wakeOn, String error, Compensation compensate) implements StepDefinition {

    public static final String TYPE = "condition";

    public ConditionStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        StepDefinition.positive(timeout, name);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Whether the step may wait durably: it has a timeout, rather than being a one-shot check. */
    public boolean waits() {
        return timeout != null;
    }
}
