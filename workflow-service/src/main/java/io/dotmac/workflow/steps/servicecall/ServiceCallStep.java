package io.dotmac.workflow.steps.servicecall;

import io.dotmac.workflow.definition.Compensation;
import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.definition.StepDefinition;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code service_call}: calls another service; its answer goes into the context under the call's result key.
 *
 * @param timeout nullable: the per-attempt call timeout (null: {@code workflow.step-timeout})
 * @param retry   nullable: the engine's configured default applies
 */
public record ServiceCallStep(String name, boolean critical, String when, ServiceCall call, Duration timeout, RetryPolicy retry,
        Compensation compensate) implements StepDefinition {

    public static final String TYPE = "service_call";

    public ServiceCallStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(call, "call");
        StepDefinition.positive(timeout, name);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The step as it runs when it undoes {@code forward}: a call of {@code forward}'s compensation, critical. */
    public static ServiceCallStep undoing(StepDefinition forward) {
        Compensation compensation = forward.compensate();
        return new ServiceCallStep(UNDO_PREFIX + forward.name(), true, null, compensation.call(), null,
                compensation.retry() != null ? compensation.retry() : forward.retry(), null);
    }
}
