package io.dotmac.workflow.execution;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Persistence of execution state, the engine's only way to the database. Every write of an
 * execution is fenced by its lease, so an instance that lost the lease cannot overwrite the work
 * of the one that took it over.
 */
public interface ExecutionStore {

    /** Stores a new execution leased by {@code owner}; with a known idempotency key, emits the existing one instead. */
    Uni<StartedExecution> insert(NewExecution execution, String owner, Duration lease);

    /**
     * Writes the execution's state and the step rows changed since the last checkpoint, in one
     * transaction, if {@code owner} still holds the lease (renewing it, or releasing it when the
     * execution stops being driven). Emits whether a cancel was requested meanwhile; fails with
     * {@link LeaseLostException} if the lease is gone.
     */
    Uni<Boolean> checkpoint(ExecutionState state, String owner, Duration lease);

    /** Leases up to {@code limit} unfinished executions that are due and not leased by anyone. */
    Uni<List<ClaimedExecution>> claimDue(String owner, int limit, Duration lease);

    /** Extends the leases this owner holds on the given executions; emits how many it still held. */
    Uni<Integer> renewLeases(String owner, Collection<UUID> executionIds, Duration lease);

    /** Makes a waiting execution due now; emits false if it is not waiting. */
    Uni<Boolean> wake(UUID executionId);

    /**
     * Cancels an execution: one that nobody drives is CANCELLED at once; a driven one is flagged
     * and stops before its next step. Emits the status after the request, or null if there is no
     * such unfinished execution.
     */
    Uni<ExecutionStatus> requestCancel(UUID executionId);

    /** Resumes a FAILED execution from its failed step as a new run (history kept); emits false if it is not FAILED. */
    Uni<Boolean> retry(UUID executionId);

    record StartedExecution(UUID id, boolean created) {
    }
}
