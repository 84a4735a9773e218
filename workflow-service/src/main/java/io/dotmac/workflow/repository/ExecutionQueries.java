package io.dotmac.workflow.repository;

import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.execution.RawJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators read about executions, always within one tenant: a filtered, newest-first page,
 * or one execution with its steps. Keyset pagination on (created_at, id), so pages stay stable
 * while new executions arrive.
 */
@ApplicationScoped
public class ExecutionQueries {

    /** How many of its context's top-level values a summary shows as business keys. */
    static final int MAX_BUSINESS_KEYS = 8;

    private static final String SUMMARY_COLUMNS = """
            e.id, e.workflow_name, e.workflow_version, e.status, e.trigger_type, e.trigger_source, e.error_message,
            e.current_step, e.run_number, e.created_at, e.started_at, e.completed_at, e.next_wake_at,
            CASE WHEN e.status = 'waiting' THEN e.wait_event END, CASE WHEN e.status = 'waiting' THEN e.wait_key END,
            w.started_at, w.wait_until,
            (SELECT jsonb_object_agg(k.key, k.value) FROM (
                SELECT key, value FROM jsonb_each(CASE WHEN jsonb_typeof(e.context) = 'object' THEN e.context ELSE '{}' END)
                 WHERE jsonb_typeof(value) IN ('string', 'number') AND length(value #>> '{}') <= 200
                 ORDER BY key LIMIT %d) k)::text,
            e.compensation_step IS NOT NULL, e.workflow_id, e.tenant_id, e.updated_at""".formatted(MAX_BUSINESS_KEYS);

    // A waiting execution's current step says since when it waits and until when it may.
    private static final String FROM = """

            FROM workflow_executions e
            LEFT JOIN workflow_steps w ON e.status = 'waiting' AND w.execution_id = e.id
                  AND w.run_number = e.run_number AND w.sequence_number = e.current_step
            """;

    private static final String LIST_WHERE = """
            WHERE e.tenant_id = $1
              AND ($2::text IS NULL OR e.status = $2)
              AND ($3::text IS NULL OR e.workflow_name = $3)
              AND ($4::text IS NULL OR e.trigger_type = $4)
              AND ($5::timestamptz IS NULL OR e.created_at >= $5)
              AND ($6::timestamptz IS NULL OR e.created_at < $6)
              AND ($7::timestamptz IS NULL OR (e.created_at, e.id) < ($7, $8::uuid))""";

    private static final String LIST_ORDER = " ORDER BY e.created_at DESC, e.id DESC LIMIT $9";

    private static final String LIST = "SELECT " + SUMMARY_COLUMNS + FROM + LIST_WHERE + LIST_ORDER;

    // A statement of its own, not "$10 IS NULL OR ...": the condition must be unconditional for
    // the planner to use the business-key index (V6) in a generic plan.
    private static final String LIST_BY_KEY = "SELECT " + SUMMARY_COLUMNS + FROM + LIST_WHERE
            + "\n  AND workflow_business_keys(e.context) @> ARRAY[lower($10)]" + LIST_ORDER;

    private static final String FIND = "SELECT " + SUMMARY_COLUMNS + ", e.context::text, e.result::text" + FROM
            + "WHERE e.id = $1 AND e.tenant_id = $2";

    private static final String STEPS = """
            SELECT run_number, sequence_number, step_name, step_type, status, input_data::text, output_data::text,
                   error_message, retry_count, started_at, completed_at, duration_ms, wait_until, id, duration_seconds, trace_id
              FROM workflow_steps WHERE execution_id = $1 ORDER BY run_number, sequence_number""";

    private static final String DRIVING_KEY = """
            SELECT EXISTS (SELECT 1 FROM workflow_executions e
                            WHERE e.tenant_id = $1 AND e.workflow_name = $2
                              AND e.status IN ('pending', 'running', 'waiting', 'completed')
                              AND workflow_business_keys(e.context) @> ARRAY[lower($3)])""";

    private static final String STATUS = "SELECT status FROM workflow_executions WHERE id = $1 AND tenant_id = $2";

    /** The number of summary columns; a detail's context and result follow them. */
    private static final int SUMMARY_SIZE = 22;

    private final Pool pool;

    public ExecutionQueries(Pool pool) {
        this.pool = pool;
    }

    /**
     * Whether an execution of the workflow in the tenant that carries the business key drives it,
     * or drove it to the end: one unfinished or completed (a failed or cancelled one gave it up).
     */
    public Uni<Boolean> drivingKey(String tenantId, String workflowName, String key) {
        return pool.preparedQuery(DRIVING_KEY).execute(Tuple.of(tenantId, workflowName, key))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /**
     * What to list; {@code key} (null: any) is a business key that must be among the execution's
     * (V6 {@code workflow_business_keys}: a top-level context value, or an id, number or email of a
     * result in it), compared without case.
     */
    public record Filter(String status, String workflowName, String triggerType, OffsetDateTime from, OffsetDateTime to,
                         String key) {
    }

    /** A cursor: the (created_at, id) of the last execution of the previous page. */
    public record Position(OffsetDateTime createdAt, UUID id) {
    }

    /** One execution as lists show it; {@link io.dotmac.workflow.rest.ExecutionSummary} is its API form. */
    public record Summary(UUID id, long workflowId, String workflowName, String workflowVersion, String status,
                          String triggerType, String triggerSource, String tenantId, String errorMessage, int currentStep,
                          int runNumber, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime startedAt,
                          OffsetDateTime completedAt, OffsetDateTime nextWakeAt, String waitEvent, String waitKey,
                          OffsetDateTime waitingSince, OffsetDateTime waitUntil, Object businessKeys, boolean compensated) {
    }

    /** One step of one run; {@link io.dotmac.workflow.rest.ExecutionStep} is its API form. */
    public record Step(long id, UUID executionId, int runNumber, int sequenceNumber, String stepName, String stepType,
                       String status, RawJson inputData, RawJson outputData, String errorMessage, int retryCount,
                       OffsetDateTime startedAt, OffsetDateTime completedAt, BigDecimal durationSeconds, Long durationMs,
                       OffsetDateTime waitUntil, String traceId) {
    }

    /** An execution with its context, result and steps; {@link io.dotmac.workflow.rest.ExecutionDetail} is its API form. */
    public record Detail(Summary summary, RawJson context, RawJson result, List<Step> steps) {

        /** About how large its JSON is: the stored JSON it holds (the rest is a few hundred bytes a step). */
        public long storedChars() {
            long chars = RawJson.length(context) + RawJson.length(result);
            for (Step step : steps) {
                chars += RawJson.length(step.inputData()) + RawJson.length(step.outputData());
            }
            return chars;
        }
    }

    /** Up to {@code limit} executions after {@code after} (null: from the newest). */
    public Uni<List<Summary>> list(String tenantId, Filter filter, Position after, int limit) {
        Tuple params = Tuple.tuple().addString(tenantId).addString(filter.status()).addString(filter.workflowName())
                .addString(filter.triggerType()).addOffsetDateTime(filter.from()).addOffsetDateTime(filter.to())
                .addOffsetDateTime(after == null ? null : after.createdAt()).addUUID(after == null ? null : after.id())
                .addInteger(limit);
        if (filter.key() != null) {
            params.addString(filter.key());
        }
        return pool.preparedQuery(filter.key() == null ? LIST : LIST_BY_KEY).execute(params).map(rows -> {
            List<Summary> page = new ArrayList<>();
            rows.forEach(row -> page.add(summary(row)));
            return page;
        });
    }

    /** Only the status: cheap enough to ask often while a caller waits for an execution. */
    public Uni<Optional<String>> status(String tenantId, UUID id) {
        return pool.preparedQuery(STATUS).execute(Tuple.of(id, tenantId))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    public Uni<Optional<Detail>> find(String tenantId, UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id, tenantId)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Detail>empty());
            }
            Row row = rows.iterator().next();
            return pool.preparedQuery(STEPS).execute(Tuple.of(id)).map(stepRows -> {
                List<Step> steps = new ArrayList<>();
                stepRows.forEach(s -> steps.add(new Step(s.getLong(13), id, s.getInteger(0), s.getInteger(1), s.getString(2),
                        s.getString(3), s.getString(4), RawJson.of(s.getString(5)), RawJson.of(s.getString(6)),
                        s.getString(7), s.getInteger(8), s.getOffsetDateTime(9), s.getOffsetDateTime(10),
                        s.getBigDecimal(14), s.getLong(11), s.getOffsetDateTime(12), s.getString(15))));
                // As stored: parsed, a large context would hold the event loop twice (read, then written).
                return Optional.of(new Detail(summary(row), RawJson.of(row.getString(SUMMARY_SIZE)),
                        RawJson.of(row.getString(SUMMARY_SIZE + 1)), steps));
            });
        });
    }

    private static Summary summary(Row row) {
        return new Summary(row.getUUID(0), row.getLong(19), row.getString(1), row.getString(2), row.getString(3),
                row.getString(4), row.getString(5), row.getString(20), row.getString(6), row.getInteger(7), row.getInteger(8),
                row.getOffsetDateTime(9), row.getOffsetDateTime(21), row.getOffsetDateTime(10), row.getOffsetDateTime(11),
                row.getOffsetDateTime(12), row.getString(13), row.getString(14), row.getOffsetDateTime(15),
                row.getOffsetDateTime(16), businessKeys(row.getString(17)), row.getBoolean(18));
    }

    private static Object businessKeys(String json) {
        return json == null ? Map.of() : JsonCodec.read(json);
    }
}
