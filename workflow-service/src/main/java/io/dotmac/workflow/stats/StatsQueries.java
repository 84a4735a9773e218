package io.dotmac.workflow.stats;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The figures of the console's overview, within one tenant: counts and duration histograms from
 * the hourly rollups (V12) for the hours rolled up, and from the executions, steps and inbox
 * themselves after that; what waits now is always read live. Also rolls up one closed hour for
 * {@link StatsRollup}, with the same queries, for every tenant at once.
 */
@ApplicationScoped
public class StatsQueries {

    /** Where bins of time start: on the hour, and days at midnight UTC. */
    private static final String ORIGIN = "timestamptz '2000-01-01T00:00:00Z'";

    /** Steps completed or failed in [$1, $2) of the tenant $3 (null: every tenant), in bins of $4 seconds; $5-$8 the funnel's marks. */
    private static final String WINDOW = """
            WITH marks AS (SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::int[]) AS m(workflow, step, stage, position)),
            steps AS (
                SELECT coalesce(e.tenant_id, '') AS tenant_key, date_bin($4::int * interval '1 second', s.completed_at, %1$s) AS hour,
                       e.workflow_name, s.step_name, s.status, s.retry_count, s.duration_ms, s.execution_id, s.completed_at
                  FROM workflow_steps s JOIN workflow_executions e ON e.id = s.execution_id
                 WHERE s.completed_at >= $1 AND s.completed_at < $2 AND s.status IN ('completed', 'failed')
                   AND ($3::text IS NULL OR coalesce(e.tenant_id, '') = $3)),
            reached AS (
                SELECT st.*, m.stage, m.position FROM steps st
                  JOIN marks m ON m.workflow = st.workflow_name AND m.step = st.step_name
                 WHERE st.status = 'completed')
            """.formatted(ORIGIN);

    private static final String IN_WINDOW = "%1$s >= $1 AND %1$s < $2 AND ($3::text IS NULL OR coalesce(tenant_id, '') = $3)";

    /** (tenant_key, hour, kind, subject, detail, metric, n) of the window; only what is not 0. */
    private static final String COUNTS = WINDOW + """
            SELECT * FROM (
                SELECT coalesce(tenant_id, '') AS tenant_key, date_bin($4::int * interval '1 second', created_at, %1$s) AS hour,
                       'execution' AS kind, workflow_name AS subject, '' AS detail, 'started' AS metric, count(*) AS n
                  FROM workflow_executions WHERE %2$s GROUP BY 1, 2, 4
                UNION ALL
                SELECT coalesce(tenant_id, ''), date_bin($4::int * interval '1 second', completed_at, %1$s),
                       'execution', workflow_name, '', status, count(*)
                  FROM workflow_executions WHERE %3$s AND status IN ('completed', 'failed', 'cancelled') GROUP BY 1, 2, 4, 6
                UNION ALL
                SELECT tenant_key, hour, 'step', workflow_name, step_name, c.metric, sum(c.n)::bigint
                  FROM steps CROSS JOIN LATERAL (VALUES ('runs', 1), ('failed', CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
                                                        ('retries', retry_count)) AS c(metric, n)
                 GROUP BY 1, 2, 4, 5, 6
                UNION ALL
                SELECT tenant_key, hour, 'stage', stage, '', 'reached', count(*) FROM reached GROUP BY 1, 2, 4
                UNION ALL
                SELECT coalesce(tenant_id, ''), date_bin($4::int * interval '1 second', received_at, %1$s),
                       'event', topic, '', 'received', count(*)
                  FROM inbox_events WHERE %4$s GROUP BY 1, 2, 4) c
             WHERE n > 0""".formatted(ORIGIN, IN_WINDOW.formatted("created_at"), IN_WINDOW.formatted("completed_at"),
            IN_WINDOW.formatted("received_at"));

    /**
     * (tenant_key, hour, kind, subject, detail, bucket, n) of the window: a step's duration, the time
     * since the journey's previous stage (another step of the same execution), an event's way here.
     */
    private static final String DURATIONS = WINDOW + """
            SELECT tenant_key, hour, kind, subject, detail, workflow_stats_bucket(ms) AS bucket, count(*) AS n FROM (
                SELECT tenant_key, hour, 'step' AS kind, workflow_name AS subject, step_name AS detail, duration_ms::float8 AS ms
                  FROM steps WHERE duration_ms IS NOT NULL
                UNION ALL
                SELECT r.tenant_key, r.hour, 'stage', r.stage, '', extract(epoch FROM r.completed_at - p.at)::float8 * 1000
                  FROM reached r CROSS JOIN LATERAL (
                      SELECT max(ps.completed_at) AS at FROM workflow_steps ps JOIN marks pm ON pm.step = ps.step_name
                       WHERE ps.execution_id = r.execution_id AND pm.workflow = r.workflow_name AND pm.position = r.position - 1
                         AND ps.status = 'completed' AND ps.step_name <> r.step_name) p
                 WHERE p.at IS NOT NULL
                UNION ALL
                SELECT coalesce(tenant_id, ''), date_bin($4::int * interval '1 second', received_at, %1$s), 'event', topic, '',
                       greatest(0, extract(epoch FROM received_at - event_time)::float8 * 1000)
                  FROM inbox_events WHERE %2$s AND event_time IS NOT NULL) d
             GROUP BY 1, 2, 3, 4, 5, 6""".formatted(ORIGIN, IN_WINDOW.formatted("received_at"));

    private static final String LIVE_COUNTS = "SELECT hour, subject, detail, metric, n FROM (" + COUNTS + ") live WHERE kind = $9";

    private static final String LIVE_DURATIONS = "SELECT subject, detail, bucket, sum(n)::bigint FROM (" + DURATIONS
            + ") live WHERE kind = $9 GROUP BY 1, 2, 3";

    private static final String ROLLED_COUNTS = """
            SELECT date_bin($5::int * interval '1 second', hour, %s), subject, detail, metric, sum(n)::bigint
              FROM workflow_stats_counts WHERE tenant_key = $1 AND kind = $2 AND hour >= $3 AND hour < $4
             GROUP BY 1, 2, 3, 4""".formatted(ORIGIN);

    private static final String ROLLED_DURATIONS = """
            SELECT subject, detail, bucket, sum(n)::bigint
              FROM workflow_stats_durations WHERE tenant_key = $1 AND kind = $2 AND hour >= $3 AND hour < $4
             GROUP BY 1, 2, 3""";

    private static final String ROLL_UP_COUNTS = "INSERT INTO workflow_stats_counts (tenant_key, hour, kind, subject, detail, metric, n) "
            + COUNTS + " ON CONFLICT (tenant_key, kind, hour, subject, detail, metric) DO UPDATE SET n = excluded.n";

    private static final String ROLL_UP_DURATIONS = "INSERT INTO workflow_stats_durations (tenant_key, hour, kind, subject, detail, bucket, n) "
            + DURATIONS + " ON CONFLICT (tenant_key, kind, hour, subject, detail, bucket) DO UPDATE SET n = excluded.n";

    /** The rollups' cursor, first set to start {@code $1} before now, on the hour. */
    private static final String START_CURSOR = """
            INSERT INTO workflow_stats_rollup (rolled_up_until) VALUES (date_trunc('hour', now() - $1::int * interval '1 second'))
            ON CONFLICT DO NOTHING""";

    private static final String LOCK_CURSOR = "SELECT rolled_up_until FROM workflow_stats_rollup FOR UPDATE SKIP LOCKED";

    private static final String CURSOR = "SELECT rolled_up_until FROM workflow_stats_rollup";

    private static final String MOVE_CURSOR = "UPDATE workflow_stats_rollup SET rolled_up_until = $1";

    /** A waiting execution's current step: since when it waits and until when it may. */
    private static final String WAITING = """
            SELECT e.id, e.workflow_name, w.step_name, w.started_at, w.wait_until
              FROM workflow_executions e
              JOIN workflow_steps w ON w.execution_id = e.id AND w.run_number = e.run_number AND w.sequence_number = e.current_step
             WHERE coalesce(e.tenant_id, '') = $1 AND e.status = 'waiting'""";

    private static final String LONGEST_WAITING = WAITING + " ORDER BY w.started_at NULLS LAST, e.id LIMIT $2";

    // A wait_before_ step (a reminder's timer) runs to its deadline by design: not overdue.
    private static final String PAST_DEADLINE = WAITING + """
               AND w.wait_until < now() AND w.step_name NOT LIKE 'wait\\_before\\_%'
             ORDER BY w.wait_until, e.id LIMIT $2""";

    private static final String WAITING_BY_WORKFLOW = """
            SELECT workflow_name, count(*) FROM workflow_executions
             WHERE coalesce(tenant_id, '') = $1 AND status = 'waiting' GROUP BY 1""";

    private static final String DEFERRED_BY_TOPIC = """
            SELECT topic, count(*) FROM inbox_events
             WHERE deferred_until IS NOT NULL AND coalesce(tenant_id, '') = $1 GROUP BY 1""";

    /** A count in a bin of time: {@code subject} the workflow, stage or topic, {@code detail} a step. */
    public record Count(OffsetDateTime time, String subject, String detail, String metric, long n) {
    }

    /** How many durations of a subject fell in a bucket of {@link Histogram}. */
    public record Bucketed(String subject, String detail, int bucket, long n) {
    }

    /** An execution that waits, at its current step. */
    public record Waiting(UUID executionId, String workflow, String step, OffsetDateTime since, OffsetDateTime until) {
    }

    /**
     * What to read: [from, to) in bins of {@code bin}; {@code from} on the hour for the rollups to
     * serve, else everything is read live.
     */
    public record Window(OffsetDateTime from, OffsetDateTime to, Duration bin) {
    }

    private final Pool pool;

    StatsQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Count>> counts(String tenant, String kind, Window window) {
        return read(window,
                (from, until) -> pool.preparedQuery(ROLLED_COUNTS).execute(Tuple.of(tenant, kind, from, until,
                        seconds(window.bin()))).map(StatsQueries::counts),
                from -> pool.preparedQuery(LIVE_COUNTS).execute(live(tenant, kind, from, window)).map(StatsQueries::counts));
    }

    public Uni<List<Bucketed>> durations(String tenant, String kind, Window window) {
        return read(window,
                (from, until) -> pool.preparedQuery(ROLLED_DURATIONS).execute(Tuple.of(tenant, kind, from, until))
                        .map(StatsQueries::bucketed),
                from -> pool.preparedQuery(LIVE_DURATIONS).execute(live(tenant, kind, from, window)).map(StatsQueries::bucketed));
    }

    public Uni<List<Waiting>> longestWaiting(String tenant, int limit) {
        return pool.preparedQuery(LONGEST_WAITING).execute(Tuple.of(tenant, limit)).map(StatsQueries::waiting);
    }

    public Uni<List<Waiting>> pastDeadline(String tenant, int limit) {
        return pool.preparedQuery(PAST_DEADLINE).execute(Tuple.of(tenant, limit)).map(StatsQueries::waiting);
    }

    /** Per workflow, or per topic: name and count. */
    public Uni<List<Count>> waitingByWorkflow(String tenant) {
        return named(WAITING_BY_WORKFLOW, tenant);
    }

    public Uni<List<Count>> deferredByTopic(String tenant) {
        return named(DEFERRED_BY_TOPIC, tenant);
    }

    /**
     * Rolls up the next closed hour, if one has closed {@code grace} ago (so that what the engine
     * records of its last moments is in), in one transaction with the cursor locked: another
     * replica rolling up meanwhile skips. Emits the hour rolled up, or empty.
     */
    public Uni<Optional<OffsetDateTime>> rollUpNextHour(Duration grace, Duration backfill) {
        return pool.preparedQuery(START_CURSOR).execute(Tuple.of(seconds(backfill))).chain(() -> pool.withTransaction(tx ->
                tx.preparedQuery(LOCK_CURSOR).execute().chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<OffsetDateTime>empty());
                    }
                    OffsetDateTime hour = rows.iterator().next().getOffsetDateTime(0);
                    OffsetDateTime end = hour.plusHours(1);
                    if (end.plus(grace).isAfter(OffsetDateTime.now())) {
                        return Uni.createFrom().item(Optional.<OffsetDateTime>empty());
                    }
                    Tuple window = marks(Tuple.of(hour, end, null, 3600));
                    return tx.preparedQuery(ROLL_UP_COUNTS).execute(window)
                            .chain(() -> tx.preparedQuery(ROLL_UP_DURATIONS).execute(window))
                            .chain(() -> tx.preparedQuery(MOVE_CURSOR).execute(Tuple.of(end)))
                            .replaceWith(Optional.of(hour));
                })));
    }

    /** Up to when the hours are rolled up (none before the first rollup). */
    public Uni<Optional<OffsetDateTime>> rolledUpUntil() {
        return pool.preparedQuery(CURSOR).execute()
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getOffsetDateTime(0)));
    }

    /** The rolled-up hours of the window, then the rest live; from an hour not on the hour, all live. */
    private <T> Uni<List<T>> read(Window window, RolledRead<T> rolled, Function<OffsetDateTime, Uni<List<T>>> live) {
        boolean onTheHour = window.from().equals(window.from().truncatedTo(ChronoUnit.HOURS));
        return rolledUpUntil().chain(until -> {
            if (!onTheHour || until.isEmpty() || !until.get().isAfter(window.from())) {
                return live.apply(window.from());
            }
            OffsetDateTime split = until.get().isBefore(window.to()) ? until.get() : window.to();
            return rolled.read(window.from(), split).chain(fromRollups -> live.apply(split).map(fromTables -> {
                List<T> all = new ArrayList<>(fromRollups);
                all.addAll(fromTables);
                return all;
            }));
        });
    }

    @FunctionalInterface
    private interface RolledRead<T> {
        Uni<List<T>> read(OffsetDateTime from, OffsetDateTime until);
    }

    private static int seconds(Duration duration) {
        return Math.toIntExact(duration.toSeconds());
    }

    private static Tuple live(String tenant, String kind, OffsetDateTime from, Window window) {
        return marks(Tuple.of(from, window.to(), tenant, seconds(window.bin()))).addString(kind);
    }

    private static Tuple marks(Tuple window) {
        List<FunnelStages.Mark> marks = FunnelStages.MARKS;
        return window.addArrayOfString(marks.stream().map(FunnelStages.Mark::workflow).toArray(String[]::new))
                .addArrayOfString(marks.stream().map(FunnelStages.Mark::step).toArray(String[]::new))
                .addArrayOfString(marks.stream().map(FunnelStages.Mark::stage).toArray(String[]::new))
                .addArrayOfInteger(marks.stream().map(FunnelStages.Mark::position).toArray(Integer[]::new));
    }

    private Uni<List<Count>> named(String sql, String tenant) {
        return pool.preparedQuery(sql).execute(Tuple.of(tenant)).map(rows -> {
            List<Count> counts = new ArrayList<>();
            rows.forEach(row -> counts.add(new Count(null, row.getString(0), "", "", row.getLong(1))));
            return counts;
        });
    }

    private static List<Count> counts(RowSet<Row> rows) {
        List<Count> counts = new ArrayList<>();
        rows.forEach(row -> counts.add(new Count(row.getOffsetDateTime(0), row.getString(1), row.getString(2),
                row.getString(3), row.getLong(4))));
        return counts;
    }

    private static List<Bucketed> bucketed(RowSet<Row> rows) {
        List<Bucketed> buckets = new ArrayList<>();
        rows.forEach(row -> buckets.add(new Bucketed(row.getString(0), row.getString(1), row.getShort(2), row.getLong(3))));
        return buckets;
    }

    private static List<Waiting> waiting(RowSet<Row> rows) {
        List<Waiting> waiting = new ArrayList<>();
        rows.forEach(row -> waiting.add(new Waiting(row.getUUID(0), row.getString(1), row.getString(2),
                row.getOffsetDateTime(3), row.getOffsetDateTime(4))));
        return waiting;
    }
}
