package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.steps.servicecall.ServiceCallStep;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LargeData;
import io.dotmac.workflow.execution.LeaseLostException;
import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.execution.StepStatus;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Drives one leased execution from its current step until it finishes, waits, or the lease is lost:
 * asks the {@link Decider} what is next, runs the step through its {@link StepHandler}, applies the
 * outcome (retry, fail, skip, wait) and checkpoints through the {@link ExecutionStore}: every wait,
 * retry, failure and read's answer at once, what calls that change something brought within
 * {@code workflow.checkpoint-interval} (sent again after a crash, such a call carries the same
 * Idempotency-Key and is answered alike). When a critical step fails for good, the steps that
 * completed are undone in reverse order through their {@code compensate} calls, each recorded as a
 * step after the definition's own, before the execution ends FAILED. Each execution runs on an {@link ExecutionContext} of
 * its own, so that its log lines carry its id and step.
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
    private final Event<ExecutionFinished> finished;
    private final ExecutionMetrics metrics;
    private final Vertx vertx;
    private final DataLimits limits;
    private final Duration checkpointInterval;

    ExecutionRunner(ExecutionStore store, ExpressionEngine expressions, EngineConfig config, Instance<StepHandler> all,
                    Event<ExecutionFinished> finished, ExecutionMetrics metrics, Vertx vertx, DataLimits limits) {
        this.finished = finished;
        this.limits = limits;
        this.store = store;
        this.expressions = expressions;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
        this.checkpointInterval = config.checkpointInterval();
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
        return finish(s);
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
            if (s.compensating() && s.compensationPlan.isEmpty()) {
                // Nothing it did has an undo: it just failed, and may be retried.
                s.compensationStep = null;
            } else if (s.compensating()) {
                LOG.infof("execution %s: %d steps undone", s.id, s.compensationPlan.size());
            }
            if (s.resumedStep != null && finish.status() != ExecutionStatus.COMPLETED) {
                // Cancelled or timed out while a step waited or backed off: the step ends with it.
                boolean cancelled = finish.status() == ExecutionStatus.CANCELLED;
                s.resumedStep.error = cancelled ? s.resumedStep.error : finish.error();
                finishStep(s, s.resumedStep, cancelled ? StepStatus.CANCELLED : StepStatus.FAILED, now);
                s.resumedStep = null;
            }
            ExecutionContext.noStep();
            s.status = finish.status();
            s.errorMessage = finish.error();
            s.result = finish.result();
            s.completedAt = now;
            LOG.debugf("execution %s %s%s", s.id, finish.status(), finish.error() == null ? "" : ": " + finish.error());
            return finish(s);
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
        ExecutionContext.step(step.name());
        if (step.when() != null) {
            boolean run;
            try {
                run = expressions.compile(step.when()).test(s.context);
            } catch (RuntimeException e) {
                return failed(s, step, record, "`when` " + e.getMessage(), now);
            }
            if (!run) {
                record.output = Map.of("when", step.when(), "value", false);
                finishStep(s, record, StepStatus.SKIPPED, now);
                s.currentStep++;
                LOG.debugf("step %s skipped: `%s` is false", step.name(), step.when());
                return next(s);
            }
        }
        return attempt(s, step, record);
    }

    private Uni<Void> attempt(ExecutionState s, StepDefinition step, StepRecord record) {
        StepHandler handler = handlers.get(step.type());
        Instant started = clock.instant();
        StepInvocation invocation = new StepInvocation(step, Collections.unmodifiableMap(s.context), record,
                s.id + ":" + step.name(), s.tenantId, started);
        Uni<StepOutcome> outcome = ExecutionContext.resumeHere(handler.execute(invocation))
                .onFailure().recoverWithItem(FailureClassifier::classify);
        return (handler.callsOut(step) ? writingWhileItRuns(s, outcome) : outcome)
                .chain(o -> apply(s, step, record, handler, o, started));
    }

    /**
     * The call's outcome; if it runs past the time the unwritten steps before it are due to be
     * written, they are written meanwhile, so that a call that hangs does not hide what was done
     * before it. The step goes on once that write has ended: an execution has one write at a time.
     */
    private Uni<StepOutcome> writingWhileItRuns(ExecutionState s, Uni<StepOutcome> call) {
        if (s.unwrittenSince == null) {
            return call;
        }
        return Uni.createFrom().deferred(() -> {
            long delay = Math.max(1, Duration.between(clock.instant(), writeDueAt(s)).toMillis());
            // Set and read on the execution's context only: the timer fires there, the call's outcome comes back there.
            AtomicReference<Uni<Void>> written = new AtomicReference<>();
            long timer = vertx.setTimer(delay, id -> {
                Uni<Void> write = write(s).invoke(cancel -> s.cancelRequested |= cancel).replaceWithVoid()
                        .memoize().indefinitely();
                write.subscribe().with(ignored -> { }, failure -> { });
                written.set(write);
            });
            return call.onTermination().invoke(() -> vertx.cancelTimer(timer))
                    .call(() -> written.get() == null ? Uni.createFrom().voidItem() : ExecutionContext.resumeHere(written.get()));
        });
    }

    private Uni<Void> apply(ExecutionState s, StepDefinition step, StepRecord record, StepHandler handler, StepOutcome outcome,
                            Instant started) {
        if (outcome instanceof StepOutcome.Completed done) {
            boolean updatesContext = !s.compensating();
            return LargeData.handle(DataLimits.toCount(s, done), () -> limits.check(s.context, done, updatesContext))
                    .chain(verdict -> completed(s, step, record, handler, done, verdict));
        }
        Instant now = clock.instant();
        if (outcome instanceof StepOutcome.Waiting waiting) {
            if (waiting.wakeEvent() != null) {
                s.waitEvent = waiting.wakeEvent();
                s.waitKey = waiting.wakeKey();
            }
            // The clocks of this instance and the database may differ by a little: a second's margin.
            s.wakeEventsSince = record.status == StepStatus.WAITING ? started.minusSeconds(1) : Instant.EPOCH;
            record.status = StepStatus.WAITING;
            record.waitUntil = waiting.deadline();
            // Retries count within one check; a long wait must not add up the outages of many checks.
            record.retryCount = 0;
            s.markDirty(record);
            s.status = ExecutionStatus.WAITING;
            s.nextWakeAt = waiting.recheckAt();
            LOG.debugf("step %s %s; next check at %s, deadline %s", step.name(), waiting.reason(), waiting.recheckAt(), waiting.deadline());
            return checkpoint(s);
        }
        StepOutcome.Failed failure = (StepOutcome.Failed) outcome;
        RetryPolicy policy = retryPolicy(step);
        if (failure.retryable() && record.retryCount + 1 < policy.maxAttempts()) {
            record.retryCount++;
            record.error = failure.error();
            s.markDirty(record);
            metrics.stepRetried(s.definition.name(), step.name());
            Duration backoff = policy.backoffBefore(record.retryCount);
            LOG.debugf("step %s failed (%s); retry %d of %d in %d ms", step.name(), failure.error(),
                    record.retryCount, policy.maxAttempts() - 1, backoff.toMillis());
            if (backoff.compareTo(config.retry().holdUpTo()) > 0) {
                // A long backoff holds nothing: the lease and the slot go, the claim loop resumes the step when due.
                s.nextWakeAt = now.plus(backoff);
                return checkpoint(s);
            }
            // A cancel requested during the backoff is read before the next attempt goes out.
            return checkpointThen(s, () -> ExecutionContext.resumeHere(Uni.createFrom().voidItem().onItem().delayIt().by(backoff))
                    .chain(() -> noteCancelThen(s, cancelFlag(s), () -> retryOrFinish(s, step, record))));
        }
        return failed(s, step, record, failure.error(), now);
    }

    private Uni<Void> completed(ExecutionState s, StepDefinition step, StepRecord record, StepHandler handler,
                                StepOutcome.Completed done, DataLimits.Verdict verdict) {
        Instant now = clock.instant();
        if (verdict.problem() != null) {
            return failed(s, step, record, verdict.problem(), now);
        }
        // An undo's output is recorded, not put into the context.
        s.dataBytes = s.compensating() ? Math.max(s.dataBytes, verdict.bytes()) : verdict.bytes();
        record.output = done.output();
        record.error = null;
        finishStep(s, record, StepStatus.COMPLETED, now);
        if (s.compensating()) {
            // An undo's answer is its record's; the context stays what the failed run left.
            s.compensationStep++;
            LOG.infof("execution %s: %s completed", s.id, step.name());
            return checkpointThen(s, () -> next(s));
        }
        s.context.putAll(done.contextUpdates());
        s.currentStep++;
        LOG.debugf("step %s completed in %d ms", step.name(), record.durationMillis());
        if (!handler.callsOut(step) || Decider.decide(s, now, config.executionTimeout()) instanceof Decider.Finish) {
            return next(s); // if none runs, the finish writes it
        }
        // What a call that changes something brought is written before the next step once the oldest
        // unwritten step is due (a read's answer at once); until then only the cancel flag is read,
        // so that a cancel still stops the execution before its next step.
        if (handler.answersAlikeWhenSentAgain(step) && writeDueAt(s).isAfter(now)) {
            s.callsUnwritten = true;
            return noteCancelThen(s, cancelFlag(s), () -> next(s));
        }
        return checkpointThen(s, () -> next(s));
    }

    // A retry is another step start: a cancel or the execution timeout may have come meanwhile.
    private Uni<Void> retryOrFinish(ExecutionState s, StepDefinition step, StepRecord record) {
        Instant now = clock.instant();
        if (Decider.decide(s, now, config.executionTimeout()) instanceof Decider.Finish) {
            finishStep(s, record, s.cancelRequested ? StepStatus.CANCELLED : StepStatus.FAILED, now);
            return next(s);
        }
        return attempt(s, step, record);
    }

    private Uni<Void> failed(ExecutionState s, StepDefinition step, StepRecord record, String error, Instant now) {
        record.error = error;
        finishStep(s, record, StepStatus.FAILED, now);
        if (s.compensating()) {
            // The other undos still run; the execution's error says which one failed, for an operator to finish.
            s.compensationStep++;
            s.errorMessage = s.errorMessage + "; " + step.name() + " failed: " + error;
            LOG.errorf("execution %s: %s failed, going on with the other undos: %s", s.id, step.name(), error);
            return checkpointThen(s, () -> next(s));
        }
        if (!step.critical()) {
            s.currentStep++;
            LOG.warnf("execution %s: non-critical step %s failed, going on: %s", s.id, step.name(), error);
            return checkpointThen(s, () -> next(s));
        }
        s.errorMessage = "step '" + step.name() + "' failed: " + error;
        LOG.warnf("execution %s failed at step %s: %s", s.id, step.name(), error);
        // Recorded as compensating first: the steps completed since the last checkpoint (a condition,
        // a transform) are written with it, so the plan, read from the recorded steps, sees them.
        s.compensationStep = s.definition.steps().size();
        return checkpointThen(s, () -> planCompensation(s).chain(() -> next(s)));
    }

    private RetryPolicy retryPolicy(StepDefinition step) {
        if (step.retry() != null) {
            return step.retry();
        }
        EngineConfig.Retry retry = config.retry();
        return retry.enabled()
                ? new RetryPolicy(retry.maxAttempts(), retry.initialBackoff(), retry.multiplier(), retry.maxBackoff())
                : RetryPolicy.none();
    }

    private void finishStep(ExecutionState s, StepRecord record, StepStatus status, Instant at) {
        record.finish(status, at);
        s.markDirty(record);
        if (s.unwrittenSince == null) {
            s.unwrittenSince = at;
        }
        metrics.stepFinished(s.definition.name(), record);
    }

    /** When what is unwritten is to be written at the latest (there is some). */
    private Instant writeDueAt(ExecutionState s) {
        return s.unwrittenSince.plus(checkpointInterval);
    }

    /**
     * Writes the execution as it is now; emits its cancel flag. What it wrote counts as written once
     * committed: nothing else happens to the execution meanwhile, as its driver waits for the write.
     */
    private Uni<Boolean> write(ExecutionState s) {
        return ExecutionContext.resumeHere(store.checkpoint(s, config.leaseDuration())).invoke(() -> {
            s.unwrittenSince = null;
            s.callsUnwritten = false;
        });
    }

    private Uni<Void> checkpoint(ExecutionState s) {
        return write(s).replaceWithVoid();
    }

    private Uni<Void> finish(ExecutionState s) {
        return checkpoint(s).invoke(() -> finished.fire(new ExecutionFinished(s.id, s.definition.name(),
                s.definition.version(), s.tenantId, s.status, s.runningTimeMs)));
    }

    // A read that fails (a dropped connection) writes instead, which the write batcher tries again:
    // the failure must not end the execution with its unwritten steps.
    private Uni<Boolean> cancelFlag(ExecutionState s) {
        return ExecutionContext.resumeHere(store.cancelRequested(s.id, s.leaseToken))
                .onFailure(failure -> !(failure instanceof LeaseLostException)).recoverWithUni(failure -> {
                    LOG.warnf("execution %s: its cancel flag could not be read (%s); writing it instead", s.id, failure.getMessage());
                    return write(s);
                });
    }

    private Uni<Void> checkpointThen(ExecutionState s, Supplier<Uni<Void>> then) {
        return noteCancelThen(s, write(s), then);
    }

    private static Uni<Void> noteCancelThen(ExecutionState s, Uni<Boolean> cancelFlag, Supplier<Uni<Void>> then) {
        return cancelFlag.chain(cancel -> {
            s.cancelRequested |= cancel;
            return then.get();
        });
    }
}
