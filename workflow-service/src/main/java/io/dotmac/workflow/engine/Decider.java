package io.dotmac.workflow.engine;

import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.execution.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every rule of an execution's course: what comes next (a step, an undo, the end), what a step's
 * outcome does to it (advance, wait, retry, fail and then go on or undo) and when that is written.
 * Deciding is pure: it reads the state and changes nothing, so each rule is tested on its own. What
 * it decides changes the execution's course and its step's record only when the runner applies the
 * {@link Transition}; the runner itself keeps only its own bookkeeping (what is unwritten, the
 * compensation plan it read, the stack depth).
 */
final class Decider {

    sealed interface Decision {
    }

    record RunStep(int index) implements Decision {
    }

    /** Undo the completed step at {@code index} (its {@code compensate}). */
    record Compensate(int index) implements Decision {
    }

    /** A change of the execution and of its step's record. */
    sealed interface Transition {
        void applyTo(ExecutionState s, StepRecord record, Instant now);
    }

    /** The execution ends; unless it completed, a step that waited or backed off ends with it. */
    record Finish(ExecutionStatus status, String error, Object result) implements Decision, Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord resumed, Instant now) {
            if (s.compensating() && s.compensationPlan.isEmpty()) {
                // Nothing it did has an undo: it just failed, and may be retried.
                s.compensationStep = null;
            }
            if (resumed != null && status != ExecutionStatus.COMPLETED) {
                boolean cancelled = status == ExecutionStatus.CANCELLED;
                resumed.error = cancelled ? resumed.error : error;
                end(s, resumed, cancelled ? StepStatus.CANCELLED : StepStatus.FAILED, now);
            }
            s.resumedStep = null;
            s.status = status;
            s.errorMessage = error;
            s.result = result;
            s.completedAt = now;
        }
    }

    /** The step completed: its output is recorded and its updates go into the context (an undo's are only recorded). */
    record Advance(Object output, Map<String, Object> contextUpdates, long dataBytes) implements Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord record, Instant now) {
            s.dataBytes = s.compensating() ? Math.max(s.dataBytes, dataBytes) : dataBytes;
            record.output = output;
            record.error = null;
            end(s, record, StepStatus.COMPLETED, now);
            if (s.compensating()) {
                s.compensationStep++;
            } else {
                s.context.putAll(contextUpdates);
                s.currentStep++;
            }
        }
    }

    /** The step's guard is false. */
    record Skip(String when) implements Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord record, Instant now) {
            record.output = Map.of("when", when, "value", false);
            end(s, record, StepStatus.SKIPPED, now);
            s.currentStep++;
        }
    }

    /**
     * The step waits, without a thread or a lease, until its next check or its event.
     *
     * @param eventsSince a wake event since then counts (see {@link ExecutionState#wakeEventsSince})
     */
    record Wait(StepOutcome.Waiting waiting, Instant eventsSince) implements Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord record, Instant now) {
            // Both null when nothing wakes it: an earlier step's event must not wake this one.
            s.waitEvent = waiting.wakeEvent();
            s.waitKey = waiting.wakeKey();
            s.wakeEventsSince = eventsSince;
            record.status = StepStatus.WAITING;
            record.waitUntil = waiting.deadline();
            // Retries count within one check; a long wait must not add up the outages of many checks.
            record.retryCount = 0;
            s.markDirty(record);
            s.status = ExecutionStatus.WAITING;
            s.nextWakeAt = waiting.recheckAt();
        }
    }

    /**
     * The step is tried again after {@code backoff}; {@code releasing}: meanwhile it holds nothing
     * (the lease and the slot go, the claim loop resumes it when due).
     */
    record RetryAfter(String error, Duration backoff, boolean releasing) implements Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord record, Instant now) {
            record.retryCount++;
            record.error = error;
            s.markDirty(record);
            if (releasing) {
                s.nextWakeAt = now.plus(backoff);
            }
        }
    }

    /** What the execution does after a step failed for good. */
    enum AfterFailure {
        /** It was an undo: the other undos still run, and the execution's error says which one failed. */
        NEXT_UNDO,
        /** A non-critical step: the execution goes on. */
        GO_ON,
        /** A critical step: the steps that completed are undone, then the execution fails. */
        UNDO_COMPLETED
    }

    record FailStep(String error, AfterFailure then) implements Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord record, Instant now) {
            record.error = error;
            end(s, record, StepStatus.FAILED, now);
            switch (then) {
                case NEXT_UNDO -> {
                    s.compensationStep++;
                    s.errorMessage = s.errorMessage + "; " + record.name + " failed: " + error;
                }
                case GO_ON -> s.currentStep++;
                case UNDO_COMPLETED -> {
                    s.errorMessage = "step '" + record.name + "' failed: " + error;
                    s.compensationStep = s.definition.steps().size();
                }
            }
        }
    }

    /** A step that was to be tried again ends as the execution does (cancelled, or out of time). */
    record StopStep(StepStatus status) implements Transition {
        @Override
        public void applyTo(ExecutionState s, StepRecord record, Instant now) {
            end(s, record, status, now);
        }
    }

    /** When what a completed step did is written. */
    enum Write {
        /** With the next write: the step called nothing, or the execution ends next. */
        LATER,
        /** Within the checkpoint interval; until then only the cancel flag is read before the next step. */
        CHAINED,
        /** Before the next step. */
        NOW
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

    /**
     * What an attempt's outcome does: a completed step advances ({@code dataBytes}: the size counted
     * for it), a waiting one waits, a transient failure is retried while the policy has attempts
     * left (a backoff longer than {@code holdUpTo} holds nothing), any other failure fails the step.
     *
     * @param started when the attempt began
     */
    static Transition after(ExecutionState s, StepDefinition step, StepRecord record, Instant started, StepOutcome outcome,
                            long dataBytes, RetryPolicy policy, Duration holdUpTo) {
        if (outcome instanceof StepOutcome.Completed done) {
            return new Advance(done.output(), done.contextUpdates(), dataBytes);
        }
        if (outcome instanceof StepOutcome.Waiting waiting) {
            // The clocks of this instance and the database may differ by a little: a second's margin.
            return new Wait(waiting, record.status == StepStatus.WAITING ? started.minusSeconds(1) : Instant.EPOCH);
        }
        StepOutcome.Failed failure = (StepOutcome.Failed) outcome;
        if (failure.retryable() && record.retryCount + 1 < policy.maxAttempts()) {
            Duration backoff = policy.backoffBefore(record.retryCount + 1);
            return new RetryAfter(failure.error(), backoff, backoff.compareTo(holdUpTo) > 0);
        }
        return failed(s, step, failure.error());
    }

    /** The step failed for good with {@code error}. */
    static FailStep failed(ExecutionState s, StepDefinition step, String error) {
        AfterFailure then = s.compensating() ? AfterFailure.NEXT_UNDO
                : step.critical() ? AfterFailure.UNDO_COMPLETED : AfterFailure.GO_ON;
        return new FailStep(error, then);
    }

    /**
     * When a completed step is written. What a call that changes something brought may wait until
     * the oldest unwritten step is {@code writeDueAt} (sent again after a crash, it is answered alike
     * for its Idempotency-Key); a read's answer is written before the next step, since read again it
     * may say otherwise than what the steps after it were sent with; an undo is written at once.
     */
    static Write writeAfter(ExecutionState s, boolean callsOut, BooleanSupplier answersAlike, Supplier<Instant> writeDueAt,
                            Instant now, Duration executionTimeout) {
        if (s.compensating()) {
            return Write.NOW;
        }
        if (!callsOut || decide(s, now, executionTimeout) instanceof Finish) {
            return Write.LATER;
        }
        return answersAlike.getAsBoolean() && writeDueAt.get().isAfter(now) ? Write.CHAINED : Write.NOW;
    }

    private static void end(ExecutionState s, StepRecord record, StepStatus status, Instant now) {
        record.finish(status, now);
        s.markDirty(record);
    }

    /** The result of a completed execution: what its steps put into the context (the inputs left out). */
    private static Map<String, Object> produced(ExecutionState state) {
        Map<String, Object> result = new LinkedHashMap<>(state.context);
        state.definition.inputs().forEach(result::remove);
        return result;
    }
}
