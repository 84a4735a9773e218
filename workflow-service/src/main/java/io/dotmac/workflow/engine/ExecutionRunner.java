package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LargeData;
import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.execution.StepStatus;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.steps.servicecall.ServiceCallStep;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Drives one leased execution from its current step until it finishes, waits, or the lease is lost:
 * asks the {@link Decider} what is next, runs the step through its {@link StepHandler}, applies the
 * decider's transition for the outcome and carries out what it calls for: logs, metrics, timers and
 * writes through {@link Checkpoints} (every wait, retry, failure and read's answer at once, what calls
 * that change something brought within {@code workflow.checkpoint-interval}). When a critical step
 * fails for good, the steps that completed are undone in reverse order through their
 * {@code compensate} calls, each recorded as a step after the definition's own, before the execution
 * ends FAILED. Each execution runs on an {@link ExecutionContext} of its own, so that its log lines
 * carry its id and step.
 */
@ApplicationScoped
class ExecutionRunner {

    private static final Logger LOG = Logger.getLogger(ExecutionRunner.class);
    /** The step type of an undo's record. */
    static final String COMPENSATION = "compensation";
    /** Steps run one after another on one stack before the next goes on a fresh one. */
    private static final int INLINE_STEPS = 32;

    private final ExecutionStore store;
    private final ExpressionEngine expressions;
    private final EngineConfig config;
    private final Map<String, StepHandler> handlers = new HashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final ExecutionMetrics metrics;
    private final Vertx vertx;
    private final DataLimits limits;
    private final Checkpoints checkpoints;
    private final StepTraces traces;
    /** What a step without a retry policy of its own is tried by (WORKFLOW_RETRY_*). */
    private final RetryPolicy defaultRetry;

    ExecutionRunner(ExecutionStore store, ExpressionEngine expressions, EngineConfig config, Instance<StepHandler> all,
                    ExecutionMetrics metrics, Vertx vertx, DataLimits limits, Checkpoints checkpoints, StepTraces traces) {
        this.store = store;
        this.expressions = expressions;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.limits = limits;
        this.checkpoints = checkpoints;
        this.traces = traces;
        EngineConfig.Retry retry = config.retry();
        this.defaultRetry = retry.enabled()
                ? new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(), retry.multiplier(), retry.maxBackoff())
                : RetryPolicy.none();
        all.forEach(handler -> handlers.put(handler.type(), handler));
    }

    /**
     * Emits when this instance stops driving the execution, whatever the reason, on the
     * execution's own context.
     */
    Uni<Void> drive(ExecutionState state) {
        return ExecutionContext.run(vertx, state, () -> {
            LOG.debugf("driving execution %s of %s from step %d (run %d)", state.id, state.definition.name(),
                    state.currentStep, state.runNumber);
            return state.compensating() && state.compensationPlan == null
                    ? planCompensation(state).chain(() -> next(state))
                    : next(state);
        });
    }

    /**
     * The driver failed in a way no step outcome covers (a checkpoint the database refuses, a bug):
     * the execution is FAILED with the reason, rather than claimed and failing again forever.
     */
    Uni<Void> abandon(ExecutionState s, Throwable failure) {
        s.drainDirtySteps();
        s.status = ExecutionStatus.FAILED;
        if (s.compensating() && (s.compensationPlan == null || s.compensationPlan.isEmpty())) {
            // Nothing was undone: an operator may still retry it, or compensate it.
            s.compensationStep = null;
        }
        String why = "the engine could not go on: " + failure.getClass().getSimpleName() + ": " + failure.getMessage();
        s.errorMessage = s.errorMessage == null ? why : s.errorMessage + "; " + why;
        s.completedAt = clock.instant();
        return checkpoints.finish(s);
    }

    private Uni<Void> next(ExecutionState s) {
        // Steps that call nothing follow each other on one stack; now and then the rest goes on a
        // fresh one, so that a long chain of transforms cannot overflow it.
        if (++s.inlineSteps % INLINE_STEPS == 0) {
            return ExecutionContext.nextTurn(() -> decideNext(s));
        }
        return decideNext(s);
    }

    private Uni<Void> decideNext(ExecutionState s) {
        Instant now = clock.instant();
        Decider.Decision decision = Decider.decide(s, now, config.executionTimeout());
        if (decision instanceof Decider.Finish finish) {
            if (s.compensating() && !s.compensationPlan.isEmpty()) {
                LOG.infof("execution %s: %d steps undone", s.id, s.compensationPlan.size());
            }
            StepRecord resumed = s.resumedStep;
            apply(s, resumed, finish, now);
            ExecutionContext.noStep();
            LOG.debugf("execution %s %s%s", s.id, finish.status(), finish.error() == null ? "" : ": " + finish.error());
            return checkpoints.finish(s);
        }
        if (decision instanceof Decider.Compensate undo) {
            return runCompensation(s, undo.index(), now);
        }
        return runStep(s, ((Decider.RunStep) decision).index(), now);
    }

    /**
     * What is to be undone, latest first: the steps with a {@code compensate} that completed, in any
     * run, as recorded (a resumed execution reads the same rows again, so the plan is not stored).
     */
    private Uni<Void> planCompensation(ExecutionState s) {
        List<StepDefinition> steps = s.definition.steps();
        return ExecutionContext.resumeHere(store.completedSteps(s.id, steps.size())).invoke(completed -> {
            List<Integer> plan = new ArrayList<>();
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i).compensate() != null && completed.contains(i)) {
                    plan.add(i);
                }
            }
            s.compensationPlan = plan;
        }).replaceWithVoid();
    }

    private Uni<Void> runCompensation(ExecutionState s, int index, Instant now) {
        StepDefinition undo = ServiceCallStep.undoing(s.definition.steps().get(index));
        StepRecord record = s.resumedStep != null && s.resumedStep.sequence == s.compensationStep
                ? s.resumedStep
                : new StepRecord(s.id, s.runNumber, s.compensationStep, undo.name(), COMPENSATION, now);
        s.resumedStep = null;
        ExecutionContext.step(undo.name());
        return attempt(s, undo, record);
    }

    private Uni<Void> runStep(ExecutionState s, int index, Instant now) {
        StepDefinition step = s.definition.steps().get(index);
        StepRecord record = s.resumedStep != null && s.resumedStep.sequence == index
                ? s.resumedStep
                : new StepRecord(s.id, s.runNumber, index, step.name(), step.type(), now);
        s.resumedStep = null;
        // A step skipped or refused before it runs has no span: it is of its execution's trace all the same.
        record.traceId = StepTraces.traceId(s);
        ExecutionContext.step(step.name());
        if (step.when() != null) {
            boolean run;
            try {
                run = expressions.compile(step.when()).test(s.context);
            } catch (RuntimeException e) {
                return carryOut(s, step, record, null, Decider.failed(s, step, "`when` " + e.getMessage()), now);
            }
            if (!run) {
                return carryOut(s, step, record, null, new Decider.Skip(step.when()), now);
            }
        }
        return attempt(s, step, record);
    }

    private Uni<Void> attempt(ExecutionState s, StepDefinition step, StepRecord record) {
        StepHandler handler = handlers.get(step.type());
        Instant started = clock.instant();
        StepInvocation invocation = new StepInvocation(step, Collections.unmodifiableMap(s.context), record,
                s.id + ":" + step.name(), s.tenantId, started);
        StepTraces.Run traced = traces.step(s, step, record);
        // Deferred: a handler that throws fails its outcome, and the span still ends.
        Uni<StepOutcome> outcome = ExecutionContext.resumeHere(Uni.createFrom().deferred(() -> handler.execute(invocation)))
                .onTermination().invoke(traced::end)
                .onFailure().recoverWithItem(FailureClassifier::classify);
        return (handler.callsOut(step) ? checkpoints.writingWhileItRuns(s, outcome) : outcome)
                .chain(o -> withinLimits(s, o))
                .chain(checked -> carryOut(s, step, record, handler, Decider.after(s, step, record, started, checked.outcome(),
                        checked.bytes(), retryPolicy(step), config.retry().holdUpTo()), clock.instant()));
    }

    /** An outcome whose data fits the limits, with the size counted; one that does not is a failure of the step. */
    private record Checked(StepOutcome outcome, long bytes) {
    }

    private Uni<Checked> withinLimits(ExecutionState s, StepOutcome outcome) {
        if (!(outcome instanceof StepOutcome.Completed done)) {
            return Uni.createFrom().item(new Checked(outcome, 0));
        }
        boolean updatesContext = !s.compensating();
        return LargeData.handle(DataLimits.toCount(s, done), () -> limits.check(s.context, done, updatesContext))
                .map(verdict -> verdict.problem() != null
                        ? new Checked(new StepOutcome.Failed(verdict.problem(), false), 0)
                        : new Checked(done, verdict.bytes()));
    }

    /**
     * Applies the decider's transition, then does what it calls for: log, count, write, go on, wait or
     * stop. {@code handler} is null for a step that was not attempted (its guard was false, or failed).
     */
    private Uni<Void> carryOut(ExecutionState s, StepDefinition step, StepRecord record, StepHandler handler,
                               Decider.Transition transition, Instant now) {
        apply(s, record, transition, now);
        if (transition instanceof Decider.Advance) {
            if (s.compensating()) {
                LOG.infof("execution %s: %s completed", s.id, step.name());
            } else {
                LOG.debugf("step %s completed in %d ms", step.name(), record.durationMillis());
            }
            return switch (Decider.writeAfter(s, handler.callsOut(step), () -> handler.answersAlikeWhenSentAgain(step),
                    () -> checkpoints.writeDueAt(s), now, config.executionTimeout())) {
                case LATER -> next(s); // if none runs, the finish writes it
                case CHAINED -> {
                    s.callsUnwritten = true;
                    yield checkpoints.readCancelThen(s, () -> next(s));
                }
                case NOW -> checkpoints.writeThen(s, () -> next(s));
            };
        }
        if (transition instanceof Decider.Skip) {
            LOG.debugf("step %s skipped: `%s` is false", step.name(), step.when());
            return next(s);
        }
        if (transition instanceof Decider.Wait wait) {
            LOG.debugf("step %s %s; next check at %s, deadline %s", step.name(), wait.waiting().reason(),
                    wait.waiting().recheckAt(), wait.waiting().deadline());
            return checkpoints.checkpoint(s);
        }
        if (transition instanceof Decider.RetryAfter retry) {
            metrics.stepRetried(s.definition.name(), step.name());
            LOG.debugf("step %s failed (%s); retry %d of %d in %d ms", step.name(), retry.error(), record.retryCount,
                    retryPolicy(step).maxAttempts() - 1, retry.backoff().toMillis());
            if (retry.releasing()) {
                return checkpoints.checkpoint(s);
            }
            // A cancel requested during the backoff is read before the next attempt goes out.
            return checkpoints.writeThen(s, () -> ExecutionContext.resumeHere(Uni.createFrom().voidItem().onItem().delayIt()
                    .by(retry.backoff())).chain(() -> checkpoints.readCancelThen(s, () -> retryOrStop(s, step, record))));
        }
        Decider.FailStep failure = (Decider.FailStep) transition;
        switch (failure.then()) {
            case NEXT_UNDO -> LOG.errorf("execution %s: %s failed, going on with the other undos: %s", s.id, step.name(),
                    failure.error());
            case GO_ON -> LOG.warnf("execution %s: non-critical step %s failed, going on: %s", s.id, step.name(), failure.error());
            case UNDO_COMPLETED -> {
                LOG.warnf("execution %s failed at step %s: %s", s.id, step.name(), failure.error());
                // Written as compensating first: the steps completed since the last write (a condition,
                // a transform) are written with it, so the plan, read from the recorded steps, sees them.
                return checkpoints.writeThen(s, () -> planCompensation(s).chain(() -> next(s)));
            }
        }
        return checkpoints.writeThen(s, () -> next(s));
    }

    // A retry is another step start: a cancel or the execution timeout may have come meanwhile.
    private Uni<Void> retryOrStop(ExecutionState s, StepDefinition step, StepRecord record) {
        Instant now = clock.instant();
        if (Decider.decide(s, now, config.executionTimeout()) instanceof Decider.Finish) {
            apply(s, record, new Decider.StopStep(s.cancelRequested ? StepStatus.CANCELLED : StepStatus.FAILED), now);
            return next(s);
        }
        return attempt(s, step, record);
    }

    /** Applies the decider's transition; a step it ended is counted, and is to be written. */
    private void apply(ExecutionState s, StepRecord record, Decider.Transition transition, Instant now) {
        boolean open = record != null && record.completedAt == null;
        transition.applyTo(s, record, now);
        if (open && record.completedAt != null) {
            checkpoints.stepEnded(s, now);
            metrics.stepFinished(s.definition.name(), record);
        }
    }

    private RetryPolicy retryPolicy(StepDefinition step) {
        return step.retry() != null ? step.retry() : defaultRetry;
    }
}
