package io.dotmac.workflow.execution;

import io.dotmac.workflow.definition.WorkflowDefinition;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The {@link ExecutionStore} contract in memory, for tests of the engine's rules that need no
 * database; {@link ExecutionStoreContract} holds it and {@link PgExecutionStore} to the same behaviour.
 * One lock over everything stands for PostgreSQL's row locks.
 */
public final class InMemoryExecutionStore implements ExecutionStore {

    private static final Set<ExecutionStatus> UNFINISHED = Set.of(ExecutionStatus.PENDING, ExecutionStatus.RUNNING,
            ExecutionStatus.WAITING);

    private static final class Row {
        NewExecution started;
        ExecutionStatus status;
        Map<String, Object> context;
        int currentStep;
        int runNumber = 1;
        long runningTimeMs;
        String errorMessage;
        boolean cancelRequested;
        boolean wakeRequested;
        String leaseOwner;
        Instant leaseExpiresAt;
        Instant nextWakeAt;
        String waitEvent;
        String waitKey;
        Integer compensationStep;
        int driverAttempts;
        String driverError;
        /** Step rows by run and sequence number. */
        final Map<String, StepRecord> steps = new TreeMap<>();

        boolean leased(Instant now) {
            return leaseOwner != null && leaseExpiresAt != null && !leaseExpiresAt.isBefore(now);
        }
    }

    private record Event(String topic, String key, Instant receivedAt) {
    }

    private final Map<UUID, Row> rows = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<Long, WorkflowDefinition> definitions = new HashMap<>();

    /** The definition an execution of {@code workflowId} runs (compensate reads its steps' undos). */
    public synchronized void define(long workflowId, WorkflowDefinition definition) {
        definitions.put(workflowId, definition);
    }

    /** An event received, as the inbox records it. */
    public synchronized void received(String topic, String key) {
        events.add(new Event(topic, key, Instant.now()));
    }

    /** Lets the execution's lease run out. */
    public synchronized void expire(UUID id) {
        rows.get(id).leaseExpiresAt = Instant.now().minusSeconds(1);
    }

    private synchronized <T> Uni<T> locked(Supplier<T> work) {
        try {
            return Uni.createFrom().item(work.get());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    @Override
    public Uni<StartedExecution> insert(NewExecution execution, String leaseToken, Duration lease) {
        return locked(() -> {
            if (execution.idempotencyKey() != null) {
                UUID existing = find(execution.tenantId(), execution.idempotencyKey());
                if (existing != null) {
                    return new StartedExecution(existing, false);
                }
            }
            Row row = new Row();
            row.started = execution;
            row.context = new LinkedHashMap<>(execution.context());
            row.status = leaseToken != null ? ExecutionStatus.RUNNING : ExecutionStatus.PENDING;
            row.leaseOwner = leaseToken;
            row.leaseExpiresAt = leaseToken != null ? Instant.now().plus(lease) : null;
            row.driverAttempts = leaseToken != null ? 1 : 0;
            rows.put(execution.id(), row);
            return new StartedExecution(execution.id(), true);
        });
    }

    @Override
    public Uni<UUID> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        return locked(() -> find(tenantId, idempotencyKey));
    }

    private UUID find(String tenantId, String idempotencyKey) {
        return rows.values().stream().filter(r -> idempotencyKey.equals(r.started.idempotencyKey())
                && String.valueOf(tenantId).equals(String.valueOf(r.started.tenantId())))
                .map(r -> r.started.id()).findFirst().orElse(null);
    }

    @Override
    public Uni<Boolean> checkpoint(ExecutionState s, Duration lease) {
        return locked(() -> {
            Row row = rows.get(s.id);
            if (row == null || !s.leaseToken.equals(row.leaseOwner)) {
                throw new LeaseLostException(s.id);
            }
            Instant now = Instant.now();
            s.runningTimeMs = s.runningTimeMs(now);
            s.sliceStartedAt = now;
            boolean waiting = s.status == ExecutionStatus.WAITING;
            boolean eventCame = waiting && events.stream().anyMatch(e -> e.topic().equals(s.waitEvent)
                    && e.key().equals(s.waitKey) && !e.receivedAt().isBefore(s.wakeEventsSince));
            row.status = s.status;
            row.context = new LinkedHashMap<>(s.context);
            row.errorMessage = s.errorMessage;
            row.currentStep = s.currentStep;
            row.runningTimeMs = s.runningTimeMs;
            row.nextWakeAt = waiting && (row.wakeRequested || row.cancelRequested || eventCame) ? now : s.nextWakeAt;
            row.wakeRequested = false;
            boolean keep = s.keepsLease();
            row.leaseOwner = keep ? row.leaseOwner : null;
            row.leaseExpiresAt = keep ? now.plus(lease) : null;
            row.waitEvent = waiting ? s.waitEvent : null;
            row.waitKey = waiting ? s.waitKey : null;
            row.compensationStep = s.compensationStep;
            row.driverAttempts = 0;
            row.driverError = null;
            for (StepRecord step : s.drainDirtySteps()) {
                row.steps.put(step.runNumber + ":" + step.sequence, step);
            }
            return row.cancelRequested;
        });
    }

    @Override
    public Uni<List<ClaimedExecution>> claimDue(String owner, int limit, Duration lease, Collection<UUID> driving, int room,
                                                Map<String, Integer> rooms) {
        return locked(() -> {
            Instant now = Instant.now();
            // Each tenant's due executions, earliest first (never woken: first of all), up to its room.
            Map<String, List<UUID>> byTenant = new TreeMap<>();
            rows.entrySet().stream()
                    .filter(e -> UNFINISHED.contains(e.getValue().status) && !e.getValue().leased(now) && !driving.contains(e.getKey())
                            && (e.getValue().nextWakeAt == null || !e.getValue().nextWakeAt.isAfter(now)))
                    .sorted(Comparator.comparing(e -> e.getValue().nextWakeAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .forEach(e -> {
                        String tenant = String.valueOf(e.getValue().started.tenantId());
                        List<UUID> due = byTenant.computeIfAbsent(tenant, t -> new ArrayList<>());
                        if (due.size() < rooms.getOrDefault(tenant, room)) {
                            due.add(e.getKey());
                        }
                    });
            List<ClaimedExecution> claimed = new ArrayList<>();
            for (int turn = 0; claimed.size() < limit; turn++) {
                boolean any = false;
                for (List<UUID> due : byTenant.values()) {
                    if (turn < due.size() && claimed.size() < limit) {
                        claimed.add(claim(due.get(turn), owner, lease, now));
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
            }
            return claimed;
        });
    }

    private ClaimedExecution claim(UUID id, String owner, Duration lease, Instant now) {
        Row row = rows.get(id);
        row.leaseOwner = owner + ":" + UUID.randomUUID();
        row.leaseExpiresAt = now.plus(lease);
        row.nextWakeAt = null;
        row.wakeRequested = false;
        row.status = row.status == ExecutionStatus.PENDING ? ExecutionStatus.RUNNING : row.status;
        row.driverAttempts++;
        int current = row.compensationStep != null ? row.compensationStep : row.currentStep;
        StepRecord step = row.steps.get(row.runNumber + ":" + current);
        return new ClaimedExecution(id, row.started.workflowId(), row.started.tenantId(), new LinkedHashMap<>(row.context),
                JsonCodec.write(row.context).length(), row.currentStep, row.runNumber, row.runningTimeMs, row.cancelRequested,
                row.leaseOwner, step, row.compensationStep, row.errorMessage, row.driverAttempts, row.driverError,
                row.started.traceparent());
    }

    @Override
    public Uni<Boolean> cancelRequested(UUID executionId, String leaseToken) {
        return locked(() -> {
            Row row = rows.get(executionId);
            if (row == null || !leaseToken.equals(row.leaseOwner)) {
                throw new LeaseLostException(executionId);
            }
            return row.cancelRequested;
        });
    }

    @Override
    public Uni<Integer> renewLeases(Map<UUID, String> leases, Duration lease) {
        return locked(() -> (int) leases.entrySet().stream().map(e -> rows.get(e.getKey()))
                .filter(row -> row != null && row.leaseOwner != null && row.leaseOwner.equals(leases.get(row.started.id())))
                .peek(row -> row.leaseExpiresAt = Instant.now().plus(lease)).count());
    }

    @Override
    public Uni<Integer> releaseLeases(Map<UUID, String> leases) {
        return locked(() -> (int) leases.entrySet().stream().map(e -> rows.get(e.getKey()))
                .filter(row -> row != null && row.leaseOwner != null && row.leaseOwner.equals(leases.get(row.started.id())))
                .peek(row -> {
                    row.leaseExpiresAt = Instant.now();
                    row.driverAttempts = Math.max(row.driverAttempts - 1, 0);
                }).count());
    }

    @Override
    public Uni<Boolean> recordDriverFailure(UUID executionId, String leaseToken, String reason) {
        return locked(() -> held(executionId, leaseToken, row -> row.driverError = reason));
    }

    @Override
    public Uni<Boolean> failUnrunnable(UUID executionId, String leaseToken, String reason) {
        return locked(() -> held(executionId, leaseToken, row -> {
            row.status = ExecutionStatus.FAILED;
            row.errorMessage = reason;
            row.nextWakeAt = null;
            row.leaseOwner = null;
            row.leaseExpiresAt = null;
        }));
    }

    private boolean held(UUID id, String token, java.util.function.Consumer<Row> change) {
        Row row = rows.get(id);
        if (row == null || !token.equals(row.leaseOwner)) {
            return false;
        }
        change.accept(row);
        return true;
    }

    @Override
    public Uni<Boolean> wake(UUID executionId) {
        return locked(() -> {
            Row row = rows.get(executionId);
            if (row == null || !UNFINISHED.contains(row.status)) {
                return false;
            }
            row.wakeRequested = true;
            if (row.status == ExecutionStatus.WAITING && !row.leased(Instant.now())) {
                row.nextWakeAt = Instant.now();
            }
            return true;
        });
    }

    @Override
    public Uni<Integer> wakeWaitingOn(String event, String key, String tenantId) {
        return locked(() -> {
            int woken = 0;
            for (Row row : rows.values()) {
                if (row.status == ExecutionStatus.WAITING && event.equals(row.waitEvent) && key.equals(row.waitKey)
                        && (tenantId == null || tenantId.equals(row.started.tenantId()))) {
                    row.wakeRequested = true;
                    if (!row.leased(Instant.now())) {
                        row.nextWakeAt = Instant.now();
                    }
                    woken++;
                }
            }
            return woken;
        });
    }

    @Override
    public Uni<Boolean> wakeIfItsEventCame(UUID executionId, String event, String key, Instant since) {
        return locked(() -> {
            Row row = rows.get(executionId);
            boolean came = events.stream().anyMatch(e -> e.topic().equals(event) && e.key().equals(key) && !e.receivedAt().isBefore(since));
            if (row == null || row.status != ExecutionStatus.WAITING || !event.equals(row.waitEvent) || !key.equals(row.waitKey)
                    || row.leased(Instant.now()) || !came) {
                return false;
            }
            row.nextWakeAt = Instant.now();
            return true;
        });
    }

    @Override
    public Uni<CancelOutcome> requestCancel(UUID executionId) {
        return locked(() -> {
            Row row = rows.get(executionId);
            if (row == null || !UNFINISHED.contains(row.status) || row.compensationStep != null) {
                return null;
            }
            row.cancelRequested = true;
            if (!row.leased(Instant.now())) {
                row.status = ExecutionStatus.CANCELLED;
                row.errorMessage = "cancelled";
                row.leaseOwner = null;
                row.nextWakeAt = null;
                row.steps.values().stream().filter(step -> step.runNumber == row.runNumber && step.completedAt == null)
                        .forEach(step -> step.finish(StepStatus.CANCELLED, Instant.now()));
            }
            return new CancelOutcome(row.status, row.started.workflowName(), row.started.workflowVersion(),
                    row.started.tenantId(), row.runningTimeMs);
        });
    }

    @Override
    public Uni<Boolean> retry(UUID executionId) {
        return locked(() -> {
            Row row = rows.get(executionId);
            if (row == null || row.status != ExecutionStatus.FAILED || row.compensationStep != null) {
                return false;
            }
            newRun(row);
            return true;
        });
    }

    @Override
    public Uni<Boolean> compensate(UUID executionId) {
        return locked(() -> {
            Row row = rows.get(executionId);
            WorkflowDefinition definition = row == null ? null : definitions.get(row.started.workflowId());
            if (definition == null || row.status != ExecutionStatus.FAILED || completed(row, definition.steps().size()).stream()
                    .noneMatch(i -> definition.steps().get(i).compensate() != null)) {
                return false;
            }
            newRun(row);
            row.compensationStep = definition.steps().size();
            return true;
        });
    }

    private static void newRun(Row row) {
        row.status = ExecutionStatus.RUNNING;
        row.runNumber++;
        row.errorMessage = null;
        row.cancelRequested = false;
        row.nextWakeAt = Instant.now();
        row.leaseOwner = null;
        row.leaseExpiresAt = null;
        row.runningTimeMs = 0;
        row.driverAttempts = 0;
        row.driverError = null;
    }

    @Override
    public Uni<Set<Integer>> completedSteps(UUID executionId, int stepCount) {
        return locked(() -> completed(rows.get(executionId), stepCount));
    }

    private static Set<Integer> completed(Row row, int stepCount) {
        Set<Integer> completed = new HashSet<>();
        row.steps.values().stream().filter(step -> step.status == StepStatus.COMPLETED && step.sequence < stepCount)
                .forEach(step -> completed.add(step.sequence));
        return completed;
    }
}
