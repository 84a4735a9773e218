package io.dotmac.workflow.execution;

import io.dotmac.workflow.definition.WorkflowDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An execution as the instance that holds its lease sees it: the definition version it started
 * with, its context, where it is, and the step rows changed since the last checkpoint.
 */
public final class ExecutionState {

    public final UUID id;
    /** The lease this driver holds: every write is fenced by it. */
    public final String leaseToken;
    public final String tenantId;
    public final WorkflowDefinition definition;
    public final Map<String, Object> context;
    public final int runNumber;
    public ExecutionStatus status;
    public int currentStep;
    public String errorMessage;
    public Object result;
    public boolean cancelRequested;
    public Instant nextWakeAt;
    /** While WAITING: the event and business key that wake it (both null when nothing does). */
    public String waitEvent;
    public String waitKey;
    /**
     * While WAITING: a wake event received since then may have found the execution still driven
     * (not yet WAITING) and is taken as a wake at the checkpoint. Set to before the evaluation that
     * decided to wait, or, for a step's first evaluation (which could not see any event), the epoch.
     */
    public Instant wakeEventsSince;
    public Instant completedAt;
    /** Running time before this slice began; the slice adds its own at each checkpoint. */
    public long runningTimeMs;
    public Instant sliceStartedAt;
    /** The current step's row when the execution was claimed (a waiting condition, a step being retried). */
    public StepRecord resumedStep;
    /**
     * While the execution undoes its completed steps, the sequence number of the undo under way or
     * next (the definition's step count + k for the k-th); null when it is not compensating.
     */
    public Integer compensationStep;
    /** While compensating: the steps to undo, latest first (read from the recorded steps, not stored). */
    public List<Integer> compensationPlan;
    /** The trace it runs in (W3C traceparent): each step's span is a child of it. */
    public String traceparent;
    /**
     * About how large its data is as JSON: the context's size, or a larger step output's, as last
     * counted. Above {@link LargeData#INLINE_BYTES} its checkpoints are written off the event loop.
     */
    public long dataBytes;
    /** When the oldest step not yet written ended; null when everything done is written. */
    public Instant unwrittenSince;
    /**
     * Whether calls completed since the last write. A driver that fails now must not end the
     * execution, whose record would lack them: it lets the lease expire, and the next driver sends
     * them again with their Idempotency-Keys.
     */
    public boolean callsUnwritten;
    /** Steps decided by this driver so far; the runner moves to a fresh stack every so many. */
    public int inlineSteps;
    private final List<StepRecord> dirtySteps = new ArrayList<>();

    public ExecutionState(UUID id, String leaseToken, String tenantId, WorkflowDefinition definition,
                          Map<String, Object> context, int runNumber, int currentStep, long runningTimeMs,
                          Instant sliceStartedAt) {
        this.id = id;
        this.leaseToken = leaseToken;
        this.tenantId = tenantId;
        this.definition = definition;
        this.context = context;
        this.runNumber = runNumber;
        this.currentStep = currentStep;
        this.runningTimeMs = runningTimeMs;
        this.sliceStartedAt = sliceStartedAt;
        this.status = ExecutionStatus.RUNNING;
    }

    public long runningTimeMs(Instant now) {
        return runningTimeMs + (now.toEpochMilli() - sliceStartedAt.toEpochMilli());
    }

    public void markDirty(StepRecord step) {
        if (!dirtySteps.contains(step)) {
            dirtySteps.add(step);
        }
    }

    /** The step rows to write with the next checkpoint; the list is emptied. */
    public List<StepRecord> drainDirtySteps() {
        List<StepRecord> steps = List.copyOf(dirtySteps);
        dirtySteps.clear();
        return steps;
    }

    public boolean compensating() {
        return compensationStep != null;
    }

    /** Whether this instance keeps driving after the checkpoint (it keeps the lease) or lets go. */
    public boolean keepsLease() {
        return status == ExecutionStatus.RUNNING && nextWakeAt == null;
    }
}
