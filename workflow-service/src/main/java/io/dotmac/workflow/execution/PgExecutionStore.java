package io.dotmac.workflow.execution;

import io.dotmac.workflow.expression.DataSize;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@link ExecutionStore} on the reactive PostgreSQL client. Inserts and checkpoints go through a
 * {@link WriteBatcher}, so the state changes of many executions share one transaction (group
 * commit): the engine's hot path costs far less than one commit per step.
 */
@ApplicationScoped
public class PgExecutionStore implements ExecutionStore {

    private final Pool pool;
    private final WriteBatcher batcher;
    private final CancelFlagReads cancelFlags;

    public PgExecutionStore(Pool pool) {
        this.pool = pool;
        this.batcher = new WriteBatcher(pool);
        this.cancelFlags = new CancelFlagReads(pool);
    }

    @Override
    public Uni<StartedExecution> insert(NewExecution e, String leaseToken, Duration lease) {
        return LargeData.handle(DataSize.upTo(e.context(), LargeData.INLINE_BYTES), () -> Tuple.tuple()
                .addUUID(e.id()).addLong(e.workflowId()).addString(e.workflowName()).addString(e.workflowVersion())
                .addString(JsonCodec.write(e.context())).addString(e.triggerType()).addString(e.triggerSource())
                .addString(e.tenantId()).addString(e.idempotencyKey()).addString(leaseToken).addLong(lease.toMillis())
                .addString(e.traceparent()))
                .chain(row -> batcher.insert(e.tenantId(), e.idempotencyKey(), row)).chain(created -> created
                ? Uni.createFrom().item(new StartedExecution(e.id(), true))
                : findByIdempotencyKey(e.tenantId(), e.idempotencyKey()).map(id -> new StartedExecution(id, false)));
    }

    @Override
    public Uni<UUID> findByIdempotencyKey(String tenantId, String idempotencyKey) {
        return pool.preparedQuery(ExecutionSql.FIND_BY_IDEMPOTENCY_KEY).execute(Tuple.of(tenantId, idempotencyKey))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }

    @Override
    public Uni<Boolean> checkpoint(ExecutionState s, Duration lease) {
        // The rows are built when the Uni is subscribed to, and that drains the dirty steps: subscribe once (no retry).
        return LargeData.handle(s.dataBytes, () -> checkpointRows(s, lease))
                .chain(rows -> batcher.checkpoint(s.id, s.tenantId, rows.execution(), rows.steps()));
    }

    private record CheckpointRows(Tuple execution, List<Tuple> steps) {
    }

    private static CheckpointRows checkpointRows(ExecutionState s, Duration lease) {
        Instant now = Instant.now();
        long runningTime = s.runningTimeMs(now);
        s.runningTimeMs = runningTime;
        s.sliceStartedAt = now;
        boolean keep = s.keepsLease();
        Tuple execution = Tuple.tuple()
                .addUUID(s.id).addString(s.leaseToken).addString(s.status.wire())
                .addString(JsonCodec.write(s.context))
                .addString(s.result == null ? null : JsonCodec.write(s.result))
                .addString(s.errorMessage).addInteger(s.currentStep).addLong(runningTime)
                .addOffsetDateTime(utc(s.nextWakeAt)).addOffsetDateTime(utc(s.completedAt))
                .addBoolean(keep).addLong(lease.toMillis())
                .addString(s.status == ExecutionStatus.WAITING ? s.waitEvent : null)
                .addString(s.status == ExecutionStatus.WAITING ? s.waitKey : null)
                .addInteger(s.compensationStep)
                .addOffsetDateTime(s.status == ExecutionStatus.WAITING ? utc(s.wakeEventsSince) : null);
        List<Tuple> steps = new ArrayList<>();
        for (StepRecord step : s.drainDirtySteps()) {
            steps.add(stepTuple(step));
        }
        return new CheckpointRows(execution, steps);
    }

    private static Tuple stepTuple(StepRecord step) {
        return Tuple.tuple()
                .addUUID(step.executionId).addInteger(step.runNumber).addInteger(step.sequence)
                .addString(step.name).addString(step.type).addString(step.status.wire())
                .addString(step.input == null ? null : JsonCodec.write(step.input))
                .addString(step.output == null ? null : JsonCodec.write(step.output))
                .addString(step.error).addInteger(step.retryCount)
                .addOffsetDateTime(utc(step.startedAt)).addOffsetDateTime(utc(step.completedAt))
                .addLong(step.durationMillis()).addOffsetDateTime(utc(step.waitUntil)).addString(step.traceId);
    }

    @Override
    public Uni<List<ClaimedExecution>> claimDue(String owner, int limit, Duration lease, Collection<UUID> driving,
                                                 int room, Map<String, Integer> rooms) {
        List<String> tenants = new ArrayList<>(rooms.keySet());
        Tuple params = Tuple.of(owner, limit, lease.toMillis(), driving.toArray(UUID[]::new), room,
                tenants.toArray(String[]::new)).addArrayOfInteger(tenants.stream().map(rooms::get).toArray(Integer[]::new));
        return pool.preparedQuery(ExecutionSql.CLAIM_DUE).execute(params).chain(rows -> {
            long json = 0;
            for (Row row : rows) {
                json += row.getString(3).length() + (row.getString(15) == null ? 0 : row.getString(15).length());
            }
            return LargeData.handle(json, () -> {
                List<ClaimedExecution> claimed = new ArrayList<>();
                for (Row row : rows) {
                    claimed.add(toClaimed(row));
                }
                return claimed;
            });
        });
    }

    private static ClaimedExecution toClaimed(Row row) {
        UUID id = row.getUUID(0);
        int currentStep = row.getInteger(4);
        int runNumber = row.getInteger(5);
        Integer compensationStep = row.getInteger(17);
        StepRecord step = null;
        if (row.getString(9) != null) {
            step = new StepRecord(id, runNumber, compensationStep != null ? compensationStep : currentStep, row.getString(9),
                    row.getString(10), instant(row.getOffsetDateTime(13)));
            step.status = StepStatus.stored(row.getString(11));
            step.retryCount = row.getInteger(12);
            step.waitUntil = instant(row.getOffsetDateTime(14));
            step.input = JsonCodec.read(row.getString(15));
            step.error = row.getString(16);
        }
        String context = row.getString(3);
        return new ClaimedExecution(id, row.getLong(1), row.getString(2), JsonCodec.readMap(context), context.length(),
                currentStep, runNumber, row.getLong(6), row.getBoolean(7), row.getString(8), step,
                compensationStep, row.getString(18), row.getInteger(19), row.getString(20), row.getString(21));
    }

    @Override
    public Uni<Boolean> cancelRequested(UUID executionId, String leaseToken) {
        return cancelFlags.read(executionId, leaseToken);
    }

    @Override
    public Uni<Integer> renewLeases(Map<UUID, String> leases, Duration lease) {
        return leases.isEmpty() ? Uni.createFrom().item(0) : pool.preparedQuery(ExecutionSql.RENEW).execute(held(leases)
                .addLong(lease.toMillis())).map(RowSet::rowCount);
    }

    @Override
    public Uni<Integer> releaseLeases(Map<UUID, String> leases) {
        return leases.isEmpty() ? Uni.createFrom().item(0) : pool.preparedQuery(ExecutionSql.RELEASE).execute(held(leases)).map(RowSet::rowCount);
    }

    @Override
    public Uni<Boolean> recordDriverFailure(UUID executionId, String leaseToken, String reason) {
        return pool.preparedQuery(ExecutionSql.RECORD_DRIVER_FAILURE).execute(Tuple.of(executionId, leaseToken, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<Boolean> failUnrunnable(UUID executionId, String leaseToken, String reason) {
        return pool.preparedQuery(ExecutionSql.FAIL_UNRUNNABLE).execute(Tuple.of(executionId, leaseToken, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Tuple held(Map<UUID, String> leases) {
        List<UUID> ids = new ArrayList<>(leases.keySet());
        return Tuple.of(ids.toArray(UUID[]::new), ids.stream().map(leases::get).toArray(String[]::new));
    }

    @Override
    public Uni<Boolean> wake(UUID executionId) {
        return pool.preparedQuery(ExecutionSql.WAKE).execute(Tuple.of(executionId)).map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<Integer> wakeWaitingOn(String event, String key, String tenantId) {
        return pool.preparedQuery(ExecutionSql.WAKE_WAITING_ON).execute(Tuple.of(event, key, tenantId)).map(RowSet::rowCount);
    }

    @Override
    public Uni<Boolean> wakeIfItsEventCame(UUID executionId, String event, String key, Instant since) {
        return pool.preparedQuery(ExecutionSql.WAKE_IF_ITS_EVENT_CAME).execute(Tuple.of(executionId, event, key, utc(since)))
                .map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<CancelOutcome> requestCancel(UUID executionId) {
        return pool.withTransaction(conn -> conn.preparedQuery(ExecutionSql.CANCEL).execute(Tuple.of(executionId))
                .chain(rows -> rows.size() == 0
                        ? Uni.createFrom().nullItem()
                        : conn.preparedQuery(ExecutionSql.CANCEL_OPEN_STEPS).execute(Tuple.of(executionId))
                                .map(ignored -> toCancelOutcome(rows.iterator().next()))));
    }

    private static CancelOutcome toCancelOutcome(Row row) {
        return new CancelOutcome(ExecutionStatus.stored(row.getString(0)), row.getString(1), row.getString(2),
                row.getString(3), row.getLong(4));
    }

    @Override
    public Uni<Boolean> retry(UUID executionId) {
        return pool.preparedQuery(ExecutionSql.RETRY).execute(Tuple.of(executionId)).map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<Boolean> compensate(UUID executionId) {
        return pool.preparedQuery(ExecutionSql.COMPENSATE).execute(Tuple.of(executionId)).map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Uni<Set<Integer>> completedSteps(UUID executionId, int stepCount) {
        return pool.preparedQuery(ExecutionSql.COMPLETED_STEPS).execute(Tuple.of(executionId, stepCount)).map(rows -> {
            Set<Integer> completed = new HashSet<>();
            rows.forEach(row -> completed.add(row.getInteger(0)));
            return completed;
        });
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
