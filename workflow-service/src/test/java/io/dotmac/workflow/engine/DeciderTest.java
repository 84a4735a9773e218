package io.dotmac.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.execution.StepStatus;
import io.dotmac.workflow.steps.transform.TransformStep;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of an execution's course, on the decider alone: what comes next, and what each outcome does. */
class DeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofHours(1);

    private static ExecutionState state(int currentStep, long runningMs) {
        WorkflowDefinition definition = new WorkflowDefinition("w", "1.0.0", null, List.of("lead_id"), List.of(
                new TransformStep("a", true, null, Map.of("x", 1), null),
                new TransformStep("b", false, null, Map.of("y", 2), null)),
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

    private static final RetryPolicy THREE_TRIES = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));
    private static final Duration HOLD_UP_TO = Duration.ofSeconds(30);

    private static StepRecord record(ExecutionState state, int index) {
        StepDefinition step = state.definition.steps().get(index);
        return new StepRecord(state.id, 1, index, step.name(), step.type(), NOW);
    }

    private static Decider.Transition after(ExecutionState state, int index, StepRecord record, StepOutcome outcome) {
        return Decider.after(state, state.definition.steps().get(index), record, NOW, outcome, 10, THREE_TRIES, HOLD_UP_TO);
    }

    @Test
    void aTransientFailureIsTriedAgainWithGrowingBackoffUntilTheAttemptsAreSpent() {
        ExecutionState state = state(0, 0);
        StepRecord record = record(state, 0);
        StepOutcome.Failed busy = new StepOutcome.Failed("HTTP 503", true);

        assertEquals(new Decider.RetryAfter("HTTP 503", Duration.ofSeconds(1), false), after(state, 0, record, busy));
        after(state, 0, record, busy).applyTo(state, record, NOW);
        assertEquals(1, record.retryCount);
        assertEquals("HTTP 503", record.error);
        assertEquals(new Decider.RetryAfter("HTTP 503", Duration.ofSeconds(2), false), after(state, 0, record, busy));
        record.retryCount = 2;

        assertEquals(new Decider.FailStep("HTTP 503", Decider.AfterFailure.UNDO_COMPLETED), after(state, 0, record, busy));
    }

    @Test
    void aBackoffLongerThanTheEngineHoldsReleasesTheExecutionUntilItIsDue() {
        ExecutionState state = state(0, 0);
        StepRecord record = record(state, 0);
        RetryPolicy slow = new RetryPolicy(3, Duration.ofMinutes(5), 2.0, Duration.ofHours(1));

        Decider.Transition retry = Decider.after(state, state.definition.steps().get(0), record, NOW,
                new StepOutcome.Failed("timeout", true), 0, slow, HOLD_UP_TO);
        retry.applyTo(state, record, NOW);

        assertEquals(new Decider.RetryAfter("timeout", Duration.ofMinutes(5), true), retry);
        assertEquals(NOW.plus(Duration.ofMinutes(5)), state.nextWakeAt);
        assertEquals(ExecutionStatus.RUNNING, state.status);
    }

    @Test
    void aFailureThatWouldFailAgainIsNotRetried() {
        ExecutionState state = state(0, 0);

        assertEquals(new Decider.FailStep("HTTP 422", Decider.AfterFailure.UNDO_COMPLETED),
                after(state, 0, record(state, 0), new StepOutcome.Failed("HTTP 422", false)));
    }

    @Test
    void aCriticalStepThatFailsStartsUndoingWhatCompleted() {
        ExecutionState state = state(0, 0);
        StepRecord record = record(state, 0);

        Decider.failed(state, state.definition.steps().get(0), "boom").applyTo(state, record, NOW);

        assertEquals(StepStatus.FAILED, record.status);
        assertEquals(2, state.compensationStep, "the undos are numbered after the definition's steps");
        assertEquals("step 'a' failed: boom", state.errorMessage);
        assertEquals(0, state.currentStep);
    }

    @Test
    void aNonCriticalStepThatFailsIsRecordedAndTheExecutionGoesOn() {
        ExecutionState state = state(1, 0);
        StepRecord record = record(state, 1);

        Decider.Transition failure = after(state, 1, record, new StepOutcome.Failed("HTTP 400", false));
        failure.applyTo(state, record, NOW);

        assertEquals(new Decider.FailStep("HTTP 400", Decider.AfterFailure.GO_ON), failure);
        assertEquals(2, state.currentStep);
        assertEquals(StepStatus.FAILED, record.status);
        assertNull(state.errorMessage);
        assertNull(state.compensationStep);
    }

    @Test
    void anUndoThatFailsIsNotedAndTheOtherUndosStillRun() {
        ExecutionState state = state(0, 0);
        state.compensationStep = 2;
        state.compensationPlan = List.of(1, 0);
        state.errorMessage = "step 'c' failed: boom";
        StepRecord record = new StepRecord(state.id, 1, 2, "compensate_b", ExecutionRunner.COMPENSATION, NOW);

        Decider.Transition failure = after(state, 1, record, new StepOutcome.Failed("HTTP 409", false));
        failure.applyTo(state, record, NOW);

        assertEquals(Decider.AfterFailure.NEXT_UNDO, ((Decider.FailStep) failure).then());
        assertEquals(3, state.compensationStep);
        assertEquals("step 'c' failed: boom; compensate_b failed: HTTP 409", state.errorMessage);
        assertEquals(new Decider.Compensate(0), Decider.decide(state, NOW, TIMEOUT));
    }

    @Test
    void aStepThatWaitsLetsGoUntilItsNextCheckOrItsEvent() {
        ExecutionState state = state(0, 0);
        StepRecord record = record(state, 0);
        record.retryCount = 2;
        StepOutcome.Waiting waiting = new StepOutcome.Waiting(NOW.plus(Duration.ofDays(7)), NOW.plusSeconds(5), "waiting",
                "crm.quote.accepted", "Q-1");

        Decider.Transition wait = after(state, 0, record, waiting);
        wait.applyTo(state, record, NOW);

        assertEquals(new Decider.Wait(waiting, Instant.EPOCH), wait, "a first evaluation could not have seen an event");
        assertEquals(ExecutionStatus.WAITING, state.status);
        assertEquals(NOW.plusSeconds(5), state.nextWakeAt);
        assertEquals("crm.quote.accepted", state.waitEvent);
        assertEquals("Q-1", state.waitKey);
        assertEquals(StepStatus.WAITING, record.status);
        assertEquals(NOW.plus(Duration.ofDays(7)), record.waitUntil);
        assertEquals(0, record.retryCount, "retries count within one check");
        assertEquals(new Decider.Wait(waiting, NOW.minusSeconds(1)), after(state, 0, record, waiting),
                "evaluated again, an event since a second before the evaluation wakes it");

        StepRecord next = record(state, 1);
        new Decider.Wait(new StepOutcome.Waiting(NOW.plusSeconds(60), NOW.plusSeconds(5), "waiting", null, null), Instant.EPOCH)
                .applyTo(state, next, NOW);
        assertNull(state.waitEvent, "a later wait without an event is not woken by the earlier one's");
        assertNull(state.waitKey);
    }

    @Test
    void aCompletedStepPutsItsUpdatesIntoTheContextButAnUndoOnlyRecordsItsAnswer() {
        ExecutionState state = state(0, 0);
        StepRecord record = record(state, 0);

        after(state, 0, record, new StepOutcome.Completed("out", Map.of("x", 5))).applyTo(state, record, NOW);

        assertEquals(StepStatus.COMPLETED, record.status);
        assertEquals("out", record.output);
        assertEquals(5, state.context.get("x"));
        assertEquals(1, state.currentStep);

        state.compensationStep = 2;
        state.compensationPlan = List.of(0);
        StepRecord undo = new StepRecord(state.id, 1, 2, "compensate_a", ExecutionRunner.COMPENSATION, NOW);
        after(state, 0, undo, new StepOutcome.Completed("refunded", Map.of("x", 6))).applyTo(state, undo, NOW);

        assertEquals(5, state.context.get("x"));
        assertEquals(3, state.compensationStep);
        assertEquals(new Decider.Finish(ExecutionStatus.FAILED, null, null), Decider.decide(state, NOW, TIMEOUT));
    }

    @Test
    void aFalseGuardSkipsTheStepAndSaysWhy() {
        ExecutionState state = state(0, 0);
        StepRecord record = record(state, 0);

        new Decider.Skip("lead_id == ''").applyTo(state, record, NOW);

        assertEquals(StepStatus.SKIPPED, record.status);
        assertEquals(Map.of("when", "lead_id == ''", "value", false), record.output);
        assertEquals(1, state.currentStep);
    }

    @Test
    void aCancelEndsTheStepThatWaitedWithTheExecution() {
        ExecutionState state = state(0, 0);
        state.resumedStep = record(state, 0);
        state.resumedStep.status = StepStatus.WAITING;
        state.cancelRequested = true;
        StepRecord waited = state.resumedStep;

        ((Decider.Finish) Decider.decide(state, NOW, TIMEOUT)).applyTo(state, waited, NOW);

        assertEquals(ExecutionStatus.CANCELLED, state.status);
        assertEquals(StepStatus.CANCELLED, waited.status);
        assertNull(state.resumedStep);
    }

    @Test
    void whatCallsBroughtIsWrittenByTheRulesOfTheCheckpointInterval() {
        ExecutionState state = state(0, 0);
        Instant due = NOW.plusMillis(250);

        assertEquals(Decider.Write.LATER, Decider.writeAfter(state, false, () -> false, () -> due, NOW, TIMEOUT), "a transform");
        assertEquals(Decider.Write.CHAINED, Decider.writeAfter(state, true, () -> true, () -> due, NOW, TIMEOUT), "a call answered alike");
        assertEquals(Decider.Write.NOW, Decider.writeAfter(state, true, () -> true, () -> NOW, NOW, TIMEOUT), "the interval is up");
        assertEquals(Decider.Write.NOW, Decider.writeAfter(state, true, () -> false, () -> due, NOW, TIMEOUT), "a read's answer");
        state.currentStep = 2;
        assertEquals(Decider.Write.LATER, Decider.writeAfter(state, true, () -> true, () -> NOW, NOW, TIMEOUT), "the finish writes it");
        state.compensationStep = 2;
        state.compensationPlan = List.of();
        assertEquals(Decider.Write.NOW, Decider.writeAfter(state, false, () -> false, () -> due, NOW, TIMEOUT), "an undo");
    }
}
