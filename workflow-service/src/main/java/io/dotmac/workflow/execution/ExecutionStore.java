package io.dotmac.workflow.execution;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Persistence of execution state, the engine's only way to the database. Every write of an
 * execution is fenced by its lease, so an instance that lost the lease cannot overwrite the work
 * of the one that took it over.
 */
public interface ExecutionStore {

    /**
     * Stores a new execution, leased under {@code leaseToken} (or, when it is null, unleased and due
     * for the claim loop); with a known idempotency key, emits the existing one instead.
     */
    Uni<StartedExecution> insert(NewExecution execution, String leaseToken, Duration lease);

    /** The execution started with this (namespaced) idempotency key in the tenant, or null if there is none. */
    Uni<UUID> findByIdempotencyKey(String tenantId, String idempotencyKey);

    /**
     * Writes the execution's state and the step rows changed since the last checkpoint, in one
     * transaction, if the state's lease token still holds the lease (renewing it, or releasing it
     * when the execution stops being driven). Emits whether a cancel was requested meanwhile; fails
     * with {@link LeaseLostException} if the lease is gone.
     */
    Uni<Boolean> checkpoint(ExecutionState state, Duration lease);

    /**
     * Leases up to {@code limit} unfinished executions that are due, not leased by anyone and not
     * among those {@code driving} already, fairly across tenants: the earliest due of each tenant
     * first, then the second of each, and no more of a tenant than its room ({@code rooms}, else
     * {@code room}). Each claim gets a lease token of its own, made of {@code owner} and a random
     * part, so that two drivers of one process never share a lease, and counts as a driver attempt
     * until the execution's next checkpoint.
     */
    Uni<List<ClaimedExecution>> claimDue(String owner, int limit, Duration lease, Collection<UUID> driving, int room,
                                         Map<String, Integer> rooms);

    /**
     * Whether a cancel of the execution was requested, read by its driver before a side effect that
     * follows no write (a retry after its backoff, a call after one whose answer is not written yet);
     * fails with {@link LeaseLostException} if the lease is no longer {@code leaseToken}'s.
     */
    Uni<Boolean> cancelRequested(UUID executionId, String leaseToken);

    /** Extends the leases still held under the given tokens (execution id → token); emits how many. */
    Uni<Integer> renewLeases(Map<UUID, String> leases, Duration lease);

    /** Lets the leases go at once (shutting down), so that another instance takes over without waiting. */
    Uni<Integer> releaseLeases(Map<UUID, String> leases);

    /** Notes why driving the execution failed abnormally, where its checkpoint could not be written; emits whether it did. */
    Uni<Boolean> recordDriverFailure(UUID executionId, String leaseToken, String reason);

    /**
     * Records as FAILED, with the reason, a claimed execution that cannot run at all (its definition
     * no longer loads), if the lease is still this token's; emits whether it did.
     */
    Uni<Boolean> failUnrunnable(UUID executionId, String leaseToken, String reason);

    /**
     * Asks an unfinished execution to check what it waits for now: an idle waiting one is due at
     * once, a driven one at its next wait. Emits false if it has finished.
     */
    Uni<Boolean> wake(UUID executionId);

    /** Makes every execution waiting on this event and key (within the tenant, if given) due now; emits how many. */
    Uni<Integer> wakeWaitingOn(String event, String key, String tenantId);

    /**
     * Makes an execution that has just been written waiting (and let go) due now if its event was
     * received since {@code since}; emits whether it did. Closes the gap its checkpoint leaves: an
     * event recorded while that checkpoint was being committed is seen neither by it nor, as the
     * execution was not waiting yet, by {@link #wakeWaitingOn}.
     */
    Uni<Boolean> wakeIfItsEventCame(UUID executionId, String event, String key, Instant since);

    /**
     * Cancels an execution: one that nobody drives is CANCELLED at once; a driven one is flagged
     * and stops before its next step. Emits the status after the request (with what a cancel that
     * took effect at once needs to be reported, since no driver reports it), or null if there is no
     * such unfinished execution, or if it is undoing its steps (compensating), which is not stopped.
     */
    Uni<CancelOutcome> requestCancel(UUID executionId);

    /**
     * Resumes a FAILED execution from its failed step as a new run (history kept); emits false if it
     * is not FAILED, or if it was compensated (what it did is undone: it cannot go on from there).
     */
    Uni<Boolean> retry(UUID executionId);

    /**
     * Makes a FAILED execution undo the steps it completed that have a {@code compensate}, as a new
     * run; emits false if it is not FAILED or none of its completed steps has one.
     */
    Uni<Boolean> compensate(UUID executionId);

    /** The sequence numbers, below {@code stepCount}, of the execution's steps that completed in any run. */
    Uni<Set<Integer>> completedSteps(UUID executionId, int stepCount);

    record StartedExecution(UUID id, boolean created) {
    }

    record CancelOutcome(ExecutionStatus status, String workflowName, String workflowVersion, String tenantId,
                         long runningTimeMs) {
    }
}
