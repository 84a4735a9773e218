package io.dotmac.workflow.repository;

import io.dotmac.workflow.execution.JsonCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators read about executions, always within one tenant: a filtered, newest-first page,
 * or one execution with its steps. Keyset pagination on (created_at, id), so pages stay stable
 * while new executions arrive.
 */
@ApplicationScoped
public class ExecutionQueries {

    private static final String SUMMARY_COLUMNS = """
            id, workflow_name, workflow_version, status, trigger_type, trigger_source, error_message, current_step,
            run_number, created_at, started_at, completed_at, next_wake_at""";

    private static final String LIST = "SELECT " + SUMMARY_COLUMNS + """
             FROM workflow_executions
            WHERE tenant_id = $1
              AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR workflow_name = $3)
              AND ($4::text IS NULL OR trigger_type = $4)
              AND ($5::timestamptz IS NULL OR created_at >= $5)
              AND ($6::timestamptz IS NULL OR created_at < $6)
              AND ($7::timestamptz IS NULL OR (created_at, id) < ($7, $8::uuid))
            ORDER BY created_at DESC, id DESC
            LIMIT $9""";

    private static final String FIND = "SELECT " + SUMMARY_COLUMNS + ", context::text, result::text"
            + " FROM workflow_executions WHERE id = $1 AND tenant_id = $2";

    private static final String STEPS = """
            SELECT run_number, sequence_number, step_name, step_type, status, input_data::text, output_data::text,
                   error_message, retry_count, started_at, completed_at, duration_ms, wait_until
              FROM workflow_steps WHERE execution_id = $1 ORDER BY run_number, sequence_number""";

    private final Pool pool;

    public ExecutionQueries(Pool pool) {
        this.pool = pool;
    }

    public record Filter(String status, String workflowName, String triggerType, OffsetDateTime from, OffsetDateTime to) {
    }

    /** A cursor: the (created_at, id) of the last execution of the previous page. */
    public record Position(OffsetDateTime createdAt, UUID id) {
    }

    public record Summary(UUID id, String workflowName, String workflowVersion, String status, String triggerType,
                          String triggerSource, String errorMessage, int currentStep, int runNumber,
                          OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime completedAt,
                          OffsetDateTime nextWakeAt) {
    }

    public record Step(int runNumber, int sequenceNumber, String name, String type, String status, Object input,
                       Object output, String errorMessage, int retryCount, OffsetDateTime startedAt,
                       OffsetDateTime completedAt, Long durationMs, OffsetDateTime waitUntil) {
    }

    public record Detail(Summary summary, Object context, Object result, List<Step> steps) {
    }

    /** Up to {@code limit} executions after {@code after} (null: from the newest). */
    public Uni<List<Summary>> list(String tenantId, Filter filter, Position after, int limit) {
        Tuple params = Tuple.tuple().addString(tenantId).addString(filter.status()).addString(filter.workflowName())
                .addString(filter.triggerType()).addOffsetDateTime(filter.from()).addOffsetDateTime(filter.to())
                .addOffsetDateTime(after == null ? null : after.createdAt()).addUUID(after == null ? null : after.id())
                .addInteger(limit);
        return pool.preparedQuery(LIST).execute(params).map(rows -> {
            List<Summary> page = new ArrayList<>();
            rows.forEach(row -> page.add(summary(row)));
            return page;
        });
    }

    public Uni<Optional<Detail>> find(String tenantId, UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id, tenantId)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Detail>empty());
            }
            Row row = rows.iterator().next();
            return pool.preparedQuery(STEPS).execute(Tuple.of(id)).map(stepRows -> {
                List<Step> steps = new ArrayList<>();
                stepRows.forEach(s -> steps.add(new Step(s.getInteger(0), s.getInteger(1), s.getString(2), s.getString(3),
                        s.getString(4), JsonCodec.read(s.getString(5)), JsonCodec.read(s.getString(6)), s.getString(7),
                        s.getInteger(8), s.getOffsetDateTime(9), s.getOffsetDateTime(10), s.getLong(11),
                        s.getOffsetDateTime(12))));
                return Optional.of(new Detail(summary(row), JsonCodec.read(row.getString(13)),
                        JsonCodec.read(row.getString(14)), steps));
            });
        });
    }

    private static Summary summary(Row row) {
        return new Summary(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getInteger(7), row.getInteger(8), row.getOffsetDateTime(9),
                row.getOffsetDateTime(10), row.getOffsetDateTime(11), row.getOffsetDateTime(12));
    }
}
