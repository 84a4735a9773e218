package io.dotmac.workflow.steps.condition;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.WakeOn;
import io.dotmac.workflow.engine.FailureClassifier;
import io.dotmac.workflow.engine.ServiceCaller;
import io.dotmac.workflow.engine.StepHandler;
import io.dotmac.workflow.engine.StepInvocation;
import io.dotmac.workflow.engine.StepOutcome;
import io.dotmac.workflow.execution.StepStatus;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.Templates;
import io.dotmac.workflow.expression.UnresolvedPathException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a {@link ConditionStep}: evaluates an expression over the context. True completes the step. False
 * fails it, unless the step has a {@code timeout_seconds}: then the execution waits, without a
 * thread or a lease, and the condition is checked again on a backoff or when the execution is
 * woken, after the step's {@code refresh} call (if it names one) has fetched the current data.
 * Past the deadline, the step fails.
 */
@ApplicationScoped
class ConditionHandler implements StepHandler {

    private final ServiceCaller caller;
    private final ExpressionEngine expressions;
    private final EngineConfig config;

    ConditionHandler(ServiceCaller caller, ExpressionEngine expressions, EngineConfig config) {
        this.caller = caller;
        this.expressions = expressions;
        this.config = config;
    }

    @Override
    public String type() {
        return ConditionStep.TYPE;
    }

    @Override
    public boolean callsOut(StepDefinition step) {
        return ((ConditionStep) step).refresh() != null;
    }

    @Override
    public Uni<StepOutcome> execute(StepInvocation invocation) {
        ConditionStep step = (ConditionStep) invocation.step();
        // The first evaluation trusts the context; once the step has waited, the data is refetched.
        boolean refresh = step.refresh() != null && invocation.record().status == StepStatus.WAITING;
        Uni<Map<String, Object>> updates = refresh
                ? caller.call(step.refresh(), invocation, null, config.stepTimeout())
                        .map(result -> {
                            Map<String, Object> update = new HashMap<>();
                            update.put(step.refresh().resultKey(), result);
                            return update;
                        })
                : Uni.createFrom().item(Map.of());
        return updates.map(update -> evaluate(step, invocation, update))
                .onFailure().recoverWithItem(failure -> refreshFailed(step, invocation, FailureClassifier.classify(failure)));
    }

    // A passing outage of the service it polls must not end a wait of days: within the deadline, a
    // transient failure of the refresh is just another "not yet".
    private StepOutcome refreshFailed(ConditionStep step, StepInvocation invocation, StepOutcome.Failed failure) {
        if (!failure.retryable() || !step.waits() || pastDeadline(step, invocation)) {
            return failure;
        }
        return waitAgain(step, invocation, "refresh failed (" + failure.error() + "); checking again");
    }

    private StepOutcome evaluate(ConditionStep step, StepInvocation invocation, Map<String, Object> update) {
        Map<String, Object> view = update.isEmpty() ? invocation.context() : merged(invocation.context(), update);
        if (expressions.compile(step.condition()).test(view)) {
            return new StepOutcome.Completed(Map.of("condition", step.condition(), "value", true), update);
        }
        if (!step.waits()) {
            return new StepOutcome.Failed(error(step, view, "condition `" + step.condition() + "` is false"), false);
        }
        if (pastDeadline(step, invocation)) {
            return new StepOutcome.Failed(error(step, view, "condition `" + step.condition() + "` still false after "
                    + step.timeout().toSeconds() + " s"), false);
        }
        return waitAgain(step, invocation, "waiting until `" + step.condition() + "`");
    }

    /**
     * The step's own words for a condition that stayed false ({@code error}, resolved against what
     * the condition saw), else the engine's; a template that cannot be resolved says so beside them.
     */
    private static String error(ConditionStep step, Map<String, Object> view, String engineWords) {
        if (step.error() == null) {
            return engineWords;
        }
        try {
            return String.valueOf(Templates.resolve(step.error(), view));
        } catch (UnresolvedPathException e) {
            return engineWords + " (its error text " + step.error() + " cannot be resolved: " + e.getMessage() + ")";
        }
    }

    private static Instant deadline(ConditionStep step, StepInvocation invocation) {
        return invocation.record().startedAt.plus(step.timeout());
    }

    private static boolean pastDeadline(ConditionStep step, StepInvocation invocation) {
        return !invocation.now().isBefore(deadline(step, invocation));
    }

    // The next check, never later than the deadline; the event that wakes it sooner, its key resolved
    // against the context before this evaluation (a wait does not keep what the refresh fetched).
    private StepOutcome waitAgain(ConditionStep step, StepInvocation invocation, String reason) {
        Instant deadline = deadline(step, invocation);
        Instant recheck = invocation.now().plus(recheckDelay(Duration.between(invocation.record().startedAt, invocation.now())));
        WakeOn wakeOn = step.wakeOn();
        String wakeKey = null;
        if (wakeOn != null) {
            try {
                wakeKey = String.valueOf(Templates.resolve(wakeOn.key(), invocation.context()));
            } catch (RuntimeException e) {
                return new StepOutcome.Failed("wake_on.key " + e.getMessage(), false);
            }
        }
        return new StepOutcome.Waiting(deadline, recheck.isAfter(deadline) ? deadline : recheck, reason,
                wakeOn == null ? null : wakeOn.event(), wakeKey);
    }

    // Check often at first, then less: a tenth of the time waited so far, within the configured bounds.
    private Duration recheckDelay(Duration waited) {
        Duration delay = waited.dividedBy(10);
        if (delay.compareTo(config.conditionRecheckInitial()) < 0) {
            return config.conditionRecheckInitial();
        }
        return delay.compareTo(config.conditionRecheckMax()) > 0 ? config.conditionRecheckMax() : delay;
    }

    private static Map<String, Object> merged(Map<String, Object> context, Map<String, Object> update) {
        Map<String, Object> view = new HashMap<>(context);
        view.putAll(update);
        return view;
    }
}
