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

    /** Where bins of time start: on the hour, and days at midnight, UTC (whatever the session's time zone). */
    private static final String ORIGIN = "timestamptz '2000-01-01T00:00:00Z'";

    /**
     * Whose rows a window reads: every tenant's, for a rollup ($3 is null), or the caller's (by
     * tenant_id, so that its indexes serve, and no other tenant's rows are read).
     */
    private enum Scope {
        EVERY_TENANT("$3::text IS NULL"), ONE_TENANT("%s.tenant_id = $3");

        private final String predicate;

        Scope(String predicate) {
            this.predicate = predicate;
        }

        String of(String alias) {
            return predicate.contains("%s") ? predicate.formatted(alias) : predicate;
        }
    }

    /** Steps completed or failed in [$1, $2) of the scope, in bins of $4 seconds; $5-$8 the funnel's marks. */
    private static String window(Scope scope) {
        return """
                WITH marks AS (SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::int[]) AS m(workflow, step, stage, position)),
                steps AS (
                    SELECT coalesce(e.tenant_id, '') AS tenant_key, date_bin($4::int * interval '1 second', s.completed_at, %1$s) AS hour,
                           e.workflow_name, s.step_name, s.status, s.retry_count, s.duration_ms, s.execution_id, s.completed_at
                      FROM workflow_steps s
                     -- Each step's execution by its key: a join would scan a big tenant's every execution.
                     CROSS JOIN LATERAL (SELECT e.tenant_id, e.workflow_name FROM workflow_executions e
                                          WHERE e.id = s.execution_id AND %2$s OFFSET 0) e
                     WHERE s.completed_at >= $1 AND s.completed_at < $2 AND s.status IN ('completed', 'failed')),
                reached AS (
                    SELECT st.*, m.stage, m.position FROM steps st
                      JOIN marks m ON m.workflow = st.workflow_name AND m.step = st.step_name
                     WHERE st.status = 'completed')
                """.formatted(ORIGIN, scope.of("e"));
    }

    private static String inWindow(String column, Scope scope) {
        return column + " >= $1 AND " + column + " < $2 AND " + scope.of("x");
    }

    /** (tenant_key, hour, kind, subject, detail, metric, n) of the window; only what is not 0. */
    private static String counts(Scope scope) {
        return window(scope) + """
                SELECT * FROM (
                    SELECT coalesce(tenant_id, '') AS tenant_key, date_bin($4::int * interval '1 second', created_at, %1$s) AS hour,
                           'execution' AS kind, workflow_name AS subject, '' AS detail, 'started' AS metric, count(*) AS n
                      FROM workflow_executions x WHERE %2$s GROUP BY 1, 2, 4
                    UNION ALL
                    SELECT coalesce(tenant_id, ''), date_bin($4::int * interval '1 second', completed_at, %1$s),
                           'execution', workflow_name, '', status, count(*)
                      FROM workflow_executions x WHERE %3$s AND status IN ('completed', 'failed', 'cancelled') GROUP BY 1, 2, 4, 6
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
                      FROM inbox_events x WHERE %4$s GROUP BY 1, 2, 4
                    UNION ALL
                    SELECT coalesce(tenant_id, ''), date_bin($4::int * interval '1 second', at, %1$s),
                           'event', topic, '', 'dead_lettered', count(*)
                      FROM inbox_dead_letters x WHERE %5$s GROUP BY 1, 2, 4) c
                 WHERE n > 0""".formatted(ORIGIN, inWindow("created_at", scope), inWindow("completed_at", scope),
                inWindow("received_at", scope), inWindow("at", scope));
    }

    /**
     * (tenant_key, hour, kind, subject, detail, bucket, n) of the window: a step's duration, the time
     * since the journey's previous stage (another step of the same execution), an event's way here.
     */
    private static String durations(Scope scope) {
        return window(scope) + """
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
                      FROM inbox_events x WHERE %2$s AND event_time IS NOT NULL) d
                 GROUP BY 1, 2, 3, 4, 5, 6""".formatted(ORIGIN, inWindow("received_at", scope));
    }

    private static final String LIVE_COUNTS = "SELECT hour, subject, detail, metric, n FROM (" + counts(Scope.ONE_TENANT)
            + ") live WHERE kind = $9";

    private static final String LIVE_DURATIONS = "SELECT subject, detail, bucket, sum(n)::bigint FROM ("
            + durations(Scope.ONE_TENANT) + ") live WHERE kind = $9 GROUP BY 1, 2, 3";

    private static final String ROLLED_COUNTS = """
            SELECT date_bin($5::int * interval '1 second', hour, %s), subject, detail, metric, sum(n)::bigint
              FROM workflow_stats_counts WHERE tenant_key = $1 AND kind = $2 AND hour >= $3 AND hour < $4
             GROUP BY 1, 2, 3, 4""".formatted(ORIGIN);

    private static final String ROLLED_DURATIONS = """
            SELECT subject, detail, bucket, sum(n)::bigint
              FROM workflow_stats_durations WHERE tenant_key = $1 AND kind = $2 AND hour >= $3 AND hour < $4
             GROUP BY 1, 2, 3""";

    // The hours of a rollup are replaced whole: what an hour no longer has (an execution retried
    // since) is gone from it too.
    private static final String CLEAR_COUNTS = "DELETE FROM workflow_stats_counts WHERE hour >= $1 AND hour < $2";

    private static final String CLEAR_DURATIONS = "DELETE FROM workflow_stats_durations WHERE hour >= $1 AND hour < $2";

    private static final String ROLL_UP_COUNTS = "INSERT INTO workflow_stats_counts (tenant_key, hour, kind, subject, detail, metric, n) "
            + counts(Scope.EVERY_TENANT);

    private static final String ROLL_UP_DURATIONS = "INSERT INTO workflow_stats_durations (tenant_key, hour, kind, subject, detail, bucket, n) "
            + durations(Scope.EVERY_TENANT);

    /** The rollups' cursor, first set to start {@code $1} seconds before now, on the hour. */
    private static final String START_CURSOR = """
            INSERT INTO workflow_stats_rollup (rolled_up_until)
            VALUES (date_bin(interval '1 hour', now() - $1::int * interval '1 second', %s))
            ON CONFLICT DO NOTHING""".formatted(ORIGIN);

    /** The cursor, and the last hour that closed $1 seconds ago or more, by the database's clock. */
    private static final String LOCK_CURSOR = """
            SELECT rolled_up_until, date_bin(interval '1 hour', now() - $1::int * interval '1 second', %s)
              FROM workflow_stats_rollup FOR UPDATE SKIP LOCKED""".formatted(ORIGIN);

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
     * Rolls up the hours closed {@code grace} ago or more (so that what the engine records of an
     * hour's last moments is in) since the cursor, up to {@code most} of them, in one transaction
     * with the cursor locked: another replica rolling up meanwhile skips. The {@code again} hours
     * before the cursor are rolled up once more, for what was written late into them. Emits the
     * new cursor, or empty when no hour has closed since.
     */
    public Uni<Optional<OffsetDateTime>> rollUp(Duration grace, Duration again, Duration most, Duration backfill) {
        return pool.preparedQuery(START_CURSOR).execute(Tuple.of(seconds(backfill))).chain(() -> pool.withTransaction(tx ->
                tx.preparedQuery(LOCK_CURSOR).execute(Tuple.of(seconds(grace))).chain(rows -> {
                    Row cursor = rows.size() == 0 ? null : rows.iterator().next();
                    if (cursor == null || !cursor.getOffsetDateTime(1).isAfter(cursor.getOffsetDateTime(0))) {
                        return Uni.createFrom().item(Optional.<OffsetDateTime>empty());
                    }
                    OffsetDateTime from = cursor.getOffsetDateTime(0).minus(again);
                    OffsetDateTime closed = cursor.getOffsetDateTime(1);
                    OffsetDateTime to = closed.isAfter(cursor.getOffsetDateTime(0).plus(most)) ? cursor.getOffsetDateTime(0).plus(most) : closed;
                    Tuple window = marks(Tuple.of(from, to, null, 3600));
                    return tx.preparedQuery(CLEAR_COUNTS).execute(Tuple.of(from, to))
                            .chain(() -> tx.preparedQuery(CLEAR_DURATIONS).execute(Tuple.of(from, to)))
                            .chain(() -> tx.preparedQuery(ROLL_UP_COUNTS).execute(window))
                            .chain(() -> tx.preparedQuery(ROLL_UP_DURATIONS).execute(window))
                            .chain(() -> tx.preparedQuery(MOVE_CURSOR).execute(Tuple.of(to)))
                            .replaceWith(Optional.of(to));
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
