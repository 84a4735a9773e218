package io.dotmac.workflow.bench;

import static io.restassured.RestAssured.given;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.stats.StatsRollup;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The stats API's benchmark ({@code deploy/local/bench stats}; not part of the test suite nor of
 * the engine's benchmark, it runs only with {@code -Dbench.stats=true}). Seeds, in its own database
 * and with a few SQL statements, one tenant's million executions over the last 30 days (journeys
 * through the funnel's steps, shop checkouts, renewals; mostly completed, some failed, the recent
 * ones still waiting) with their steps and inbox events, and another tenant's 50,000; kept for the
 * next run of the day ({@code -Dbench.stats.reseed=true} seeds again; a migration changed in place
 * needs the database dropped, as {@code BENCH_STATS_RESEED=true} does). Then rolls up the 31 days as a first start would, and times each endpoint over
 * HTTP with the tenant's token, and the 30-day funnel once more with no rollups (everything read
 * from the tables): the ceiling the rollups are measured against. Prints a table and writes it to
 * {@code target/bench-stats.md}; asserts nothing about speed.
 */
@QuarkusTest
@TestProfile(StatsBenchProfile.class)
@EnabledIfSystemProperty(named = "bench.stats", matches = "true")
class StatsBench {

    private static final String TENANT = "bench-stats-a";
    private static final String OTHER = "bench-stats-b";
    private static final int EXECUTIONS = Integer.getInteger("bench.stats.executions", 1_000_000);
    private static final int WARMUP = 5;
    private static final int CALLS = Integer.getInteger("bench.stats.calls", 30);
    private static final int LIVE_CALLS = Integer.getInteger("bench.stats.live-calls", 3);
    private static final String API = "/api/v1/workflows/stats/";
    /** The live-only reads take longer than the tests' HTTP timeout (quarkus.http.test-timeout, 30 s). */
    private static final int LIVE_TIMEOUT_MS = 900_000;

    /** The steps each seeded workflow runs, in order: the built-ins' names, so that the funnel counts them. */
    private static final String TEMPLATE = """
            CREATE TABLE bench_stats_template AS
            SELECT workflow, seq, step_name, step_type, work_ms, wait_ms, timeout_s,
                   sum(work_ms) OVER w AS work_through, sum(wait_ms) OVER w AS wait_through,
                   sum(work_ms) OVER w - work_ms AS work_before, sum(wait_ms) OVER w - wait_ms AS wait_before
              FROM (VALUES
                ('lead_to_customer', 0, 'qualify_lead', 'service_call', 180, 0, 0),
                ('lead_to_customer', 1, 'lead_is_qualified', 'condition', 5, 0, 0),
                ('lead_to_customer', 2, 'generate_quote', 'service_call', 250, 0, 0),
                ('lead_to_customer', 3, 'wait_for_quote_acceptance', 'condition', 5, 172800000, 604800),
                ('lead_to_customer', 4, 'process_payment', 'service_call', 400, 0, 0),
                ('lead_to_customer', 5, 'send_payment_link', 'service_call', 150, 0, 0),
                ('lead_to_customer', 6, 'wait_for_payment', 'condition', 5, 10800000, 259200),
                ('lead_to_customer', 7, 'payment_received', 'condition', 5, 0, 0),
                ('lead_to_customer', 8, 'issue_license', 'service_call', 300, 0, 0),
                ('lead_to_customer', 9, 'create_order', 'service_call', 200, 0, 0),
                ('lead_to_customer', 10, 'activate_order', 'service_call', 220, 0, 0),
                ('lead_to_customer', 11, 'send_welcome', 'service_call', 120, 0, 0),
                ('quote_accepted', 0, 'get_quote', 'service_call', 150, 0, 0),
                ('quote_accepted', 1, 'process_payment', 'service_call', 400, 0, 0),
                ('quote_accepted', 2, 'send_payment_link', 'service_call', 150, 0, 0),
                ('quote_accepted', 3, 'wait_for_payment', 'condition', 5, 10800000, 259200),
                ('quote_accepted', 4, 'payment_received', 'condition', 5, 0, 0),
                ('quote_accepted', 5, 'issue_license', 'service_call', 300, 0, 0),
                ('quote_accepted', 6, 'create_order', 'service_call', 200, 0, 0),
                ('quote_accepted', 7, 'activate_order', 'service_call', 220, 0, 0),
                ('quote_accepted', 8, 'send_welcome', 'service_call', 120, 0, 0),
                ('shop_checkout', 0, 'start_checkout', 'service_call', 120, 0, 0),
                ('shop_checkout', 1, 'quote_from_cart', 'service_call', 250, 0, 0),
                ('shop_checkout', 2, 'record_quote', 'service_call', 180, 0, 0),
                ('shop_checkout', 3, 'process_payment', 'service_call', 400, 0, 0),
                ('shop_checkout', 4, 'record_checkout', 'service_call', 150, 0, 0),
                ('shop_checkout', 5, 'wait_before_reminding', 'condition', 5, 1800000, 3600),
                ('subscription_renewed', 0, 'verify_invoice', 'service_call', 200, 0, 0),
                ('subscription_renewed', 1, 'invoice_paid', 'condition', 5, 0, 0),
                ('subscription_renewed', 2, 'renew_licenses', 'service_call', 300, 0, 0),
                ('subscription_renewed', 3, 'lift_dunning_hold_on_platform', 'service_call', 150, 0, 0),
                ('subscription_renewed', 4, 'lift_dunning_hold_on_licenses', 'service_call', 150, 0, 0),
                ('subscription_renewed', 5, 'send_receipt', 'service_call', 120, 0, 0)
              ) t(workflow, seq, step_name, step_type, work_ms, wait_ms, timeout_s)
            WINDOW w AS (PARTITION BY workflow ORDER BY seq)""";

    /**
     * Every execution drawn from its number g (one in 21 the other tenant's), created
     * evenly over 30 days in order: its workflow, where it ends (a journey lost at the lead, the
     * quote or the payment fails there) and how slow its steps (f) and waits (w) are. A step that
     * would end after now is where the execution waits.
     */
    private static final String PLAN = """
            CREATE UNLOGGED TABLE bench_stats_plan AS
            WITH drawn AS (
                SELECT g, CASE WHEN g %% 21 = 0 THEN '%2$s' ELSE '%1$s' END AS tenant,
                       now() - interval '30 days' + g * (interval '30 days' / %3$d) AS created_at,
                       bench_u(g, 1) AS u1, bench_u(g, 2) AS u2,
                       exp(ln(0.3) + bench_u(g, 3) * ln(10)) AS f, 0.02 + 1.5 * bench_u(g, 4) ^ 2 AS w
                  FROM generate_series(1, %3$d) g),
            planned AS (
                SELECT d.*, o.workflow, o.planned_last,
                       CASE WHEN o.planned_last < o.steps - 1 THEN 'failed' ELSE 'completed' END AS planned_status
                  FROM drawn d CROSS JOIN LATERAL (
                      SELECT workflow, steps, CASE workflow
                                 WHEN 'lead_to_customer' THEN CASE WHEN u2 < 0.20 THEN 1 WHEN u2 < 0.50 THEN 3 WHEN u2 < 0.53 THEN 6 ELSE 11 END
                                 WHEN 'quote_accepted' THEN CASE WHEN u2 < 0.05 THEN 3 WHEN u2 < 0.07 THEN 5 ELSE 8 END
                                 WHEN 'shop_checkout' THEN CASE WHEN u2 < 0.08 THEN 3 ELSE 5 END
                                 ELSE CASE WHEN u2 < 0.03 THEN 1 ELSE 5 END END AS planned_last
                        FROM (SELECT CASE WHEN u1 < 0.35 THEN 'lead_to_customer' WHEN u1 < 0.65 THEN 'quote_accepted'
                                          WHEN u1 < 0.85 THEN 'shop_checkout' ELSE 'subscription_renewed' END AS workflow) w
                       CROSS JOIN LATERAL (SELECT count(*)::int AS steps FROM bench_stats_template t WHERE t.workflow = w.workflow) s) o),
            cut AS (
                SELECT p.*, coalesce(c.seq, p.planned_last) AS last_seq,
                       CASE WHEN c.seq IS NULL THEN p.planned_status ELSE 'waiting' END AS status
                  FROM planned p CROSS JOIN LATERAL (
                      SELECT min(t.seq) AS seq FROM bench_stats_template t
                       WHERE t.workflow = p.workflow AND t.seq <= p.planned_last
                         AND p.created_at + (p.f * t.work_through + p.w * t.wait_through) * interval '1 millisecond' > now()) c)
            SELECT c.g, c.tenant, (CASE WHEN c.tenant = '%1$s' THEN 'bbbbbbbb' ELSE 'cccccccc' END
                                   || '-0000-4000-8000-' || lpad(to_hex(c.g), 12, '0'))::uuid AS id,
                   c.workflow, c.created_at, c.f, c.w, c.last_seq, c.status,
                   c.created_at + (c.f * t.work_through + c.w * t.wait_through) * interval '1 millisecond' AS ends_at,
                   round(c.f * t.work_through)::bigint AS running_ms
              FROM cut c JOIN bench_stats_template t ON t.workflow = c.workflow AND t.seq = c.last_seq
             ORDER BY c.g""";

    private static final String EXECUTIONS_SQL = """
            INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context, error_message,
                                             trigger_type, tenant_id, current_step, next_wake_at, running_time_ms, created_at,
                                             started_at, updated_at, completed_at)
            SELECT p.id, w.id, p.workflow, w.version, p.status, jsonb_build_object('quote_id', 'q-' || p.g),
                   CASE WHEN p.status = 'failed' THEN 'bench: failed' END,
                   CASE WHEN p.workflow = 'lead_to_customer' THEN 'manual' ELSE 'event' END, p.tenant,
                   CASE WHEN p.status = 'waiting' THEN p.last_seq ELSE p.last_seq + 1 END,
                   -- Far off: the engine leaves the waiting ones alone.
                   CASE WHEN p.status = 'waiting' THEN now() + interval '365 days' END,
                   p.running_ms, p.created_at, p.created_at,
                   CASE WHEN p.status = 'waiting' THEN p.created_at ELSE p.ends_at END,
                   CASE WHEN p.status <> 'waiting' THEN p.ends_at END
              FROM bench_stats_plan p
              JOIN (SELECT DISTINCT ON (name) name, id, version FROM workflows WHERE builtin ORDER BY name, id DESC) w
                ON w.name = p.workflow
             ORDER BY p.g""";

    /** In the executions' order, each one's steps in turn (the nested loop keeps it), as the engine writes them. */
    private static final String STEPS_SQL = """
            INSERT INTO workflow_steps (execution_id, step_name, step_type, sequence_number, status, error_message, retry_count,
                                        started_at, completed_at, duration_ms, wait_until)
            SELECT p.id, t.step_name, t.step_type, t.seq, s.status, CASE WHEN s.status = 'failed' THEN 'bench: failed' END,
                   CASE WHEN t.step_type <> 'service_call' THEN 0 WHEN s.status = 'failed' THEN 3
                        WHEN bench_u(p.g, 16 + t.seq) < 0.04 THEN 1 ELSE 0 END,
                   x.started_at, CASE WHEN s.status <> 'waiting' THEN x.started_at + x.ms * interval '1 millisecond' END,
                   CASE WHEN s.status <> 'waiting' THEN x.ms END,
                   CASE WHEN t.timeout_s > 0 THEN x.started_at + t.timeout_s * interval '1 second' END
              FROM bench_stats_plan p
             CROSS JOIN LATERAL (SELECT * FROM bench_stats_template t WHERE t.workflow = p.workflow AND t.seq <= p.last_seq) t
             CROSS JOIN LATERAL (SELECT p.created_at + (p.f * t.work_before + p.w * t.wait_before) * interval '1 millisecond' AS started_at,
                                        round(p.f * t.work_ms + p.w * t.wait_ms)::bigint AS ms) x
             CROSS JOIN LATERAL (SELECT CASE WHEN t.seq < p.last_seq THEN 'completed' ELSE p.status END AS status) s""";

    /** The events that started the event-triggered workflows, and the payments that ended a wait_for_payment; 20 ms to 3 s on their way. */
    private static final String EVENTS_SQL = """
            INSERT INTO inbox_events (source, event_id, topic, event_type, event_key, event_time, payload, received_at,
                                      processed_at, tenant_id)
            SELECT 'bench', e.topic || ':' || e.g, e.topic, e.topic, 'k-' || e.g,
                   e.received_at - 20 * exp(bench_u(e.g, 40 + length(e.topic)) * 5) * interval '1 millisecond', '{}',
                   e.received_at, e.received_at, e.tenant
              FROM (SELECT p.g, p.tenant, CASE p.workflow WHEN 'quote_accepted' THEN 'crm.quote.accepted'
                                                          WHEN 'shop_checkout' THEN 'sales.cart.checked_out'
                                                          ELSE 'billing.invoice.paid' END AS topic,
                           p.created_at - interval '15 milliseconds' AS received_at
                      FROM bench_stats_plan p WHERE p.workflow <> 'lead_to_customer'
                    UNION ALL
                    SELECT p.g, p.tenant, 'billing.payment.received',
                           p.created_at + (p.f * t.work_before + p.w * t.wait_through) * interval '1 millisecond' - interval '10 milliseconds'
                      FROM bench_stats_plan p JOIN bench_stats_template t ON t.workflow = p.workflow AND t.step_name = 'wait_for_payment'
                     WHERE t.seq < p.last_seq OR (t.seq = p.last_seq AND p.status = 'completed')) e
             ORDER BY e.received_at""";

    /** Events held back for the tenant's rate now, until long after the benchmark (the drainer leaves them). */
    private static final String DEFERRED_SQL = """
            INSERT INTO inbox_events (source, event_id, topic, event_type, event_key, event_time, payload, received_at, tenant_id,
                                      deferred_until)
            SELECT 'bench', 'deferred:' || g, 'crm.quote.accepted', 'crm.quote.accepted', 'd-' || g, now() - interval '1 minute', '{}',
                   now() - interval '1 minute', '%s', now() + interval '30 days'
              FROM generate_series(1, 25) g""";

    private static final List<String> ENDPOINTS = List.of("funnel", "executions", "steps", "waiting", "events");
    private static final List<String> RANGES = List.of("1h", "24h", "7d", "30d");

    @Inject
    Pool pool;

    @Inject
    StatsRollup rollup;

    @Inject
    EngineConfig config;

    @Test
    void run() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(seed());
        System.out.println(lines.get(0));
        lines.add(rollUp());
        System.out.println(lines.get(1));
        String reader = TestTokens.token(TENANT, "reader");

        List<String> rows = new ArrayList<>();
        double rolledFunnelP50 = 0;
        for (String endpoint : ENDPOINTS) {
            for (String range : endpoint.equals("waiting") ? List.of("—") : RANGES) {
                String path = API + endpoint + (endpoint.equals("waiting") ? "?limit=10" : "?range=" + range);
                List<Double> times = time(reader, path, WARMUP, CALLS);
                rows.add(row(endpoint, range, times));
                System.out.println(rows.get(rows.size() - 1));
                if (endpoint.equals("funnel") && range.equals("30d")) {
                    rolledFunnelP50 = percentile(times, 0.5);
                }
            }
        }

        // The same 30 days with no rollups: every figure from the executions, steps and inbox.
        List<Object> rolled = funnel(reader, null);
        OffsetDateTime cursor = pool.query("SELECT rolled_up_until FROM workflow_stats_rollup").execute().await().indefinitely()
                .iterator().next().getOffsetDateTime(0);
        List<Double> live;
        List<Object> liveFigures;
        sql("DELETE FROM workflow_stats_rollup");
        try {
            live = time(reader, API + "funnel?range=30d", 0, LIVE_CALLS, LIVE_TIMEOUT_MS);
            liveFigures = funnel(reader, LIVE_TIMEOUT_MS);
        } finally {
            pool.preparedQuery("""
                    INSERT INTO workflow_stats_rollup (rolled_up_until) VALUES ($1)
                    ON CONFLICT (singleton) DO UPDATE SET rolled_up_until = excluded.rolled_up_until""")
                    .execute(Tuple.of(cursor)).await().indefinitely();
        }
        rows.add(row("funnel, live only (no rollups)", "30d", live));
        System.out.println(rows.get(rows.size() - 1));
        double liveP50 = percentile(live, 0.5);

        String table = String.join("\n",
                "",
                "Stats API over a million executions (database " + StatsBenchProfile.DATABASE + ")",
                "",
                String.join("\n", lines),
                "",
                String.format(Locale.ROOT, "Each endpoint with %s's reader token over HTTP: %d calls after %d of warm-up "
                        + "(the live-only row: %d calls, no warm-up). Milliseconds, the HTTP round trip included.",
                        TENANT, CALLS, WARMUP, LIVE_CALLS),
                "",
                "| endpoint | range | calls | p50 ms | p95 ms | max ms |",
                "| --- | --- | ---: | ---: | ---: | ---: |",
                String.join("\n", rows),
                "",
                String.format(Locale.ROOT, "30d funnel: %.0f ms from the rollups against %.0f ms live only (p50), %.0f× faster; "
                        + "the same figures: %s.", rolledFunnelP50, liveP50, liveP50 / rolledFunnelP50,
                        rolled.equals(liveFigures) ? "yes" : "NO (rolled " + rolled + ", live " + liveFigures + ")"),
                String.format(Locale.ROOT, "30d funnel reached, %s: %s; %s: %s.", TENANT, reached(reader), OTHER,
                        reached(TestTokens.token(OTHER, "reader"))),
                "Target: well under a second over a million executions.");
        System.out.println(table + "\n");
        Files.writeString(Path.of("target", "bench-stats.md"), table + "\n", StandardCharsets.UTF_8);
    }

    /** Seeds the tenants' executions unless a run of the last day did; says how long it took. */
    private String seed() {
        sql("CREATE TABLE IF NOT EXISTS bench_stats_seed (executions int NOT NULL, seeded_at timestamptz NOT NULL, seconds float8 NOT NULL)");
        RowSet<Row> marker = pool.preparedQuery("""
                SELECT extract(epoch FROM now() - seeded_at) / 3600, seconds FROM bench_stats_seed
                 WHERE executions = $1 AND seeded_at > now() - interval '1 day'""")
                .execute(Tuple.of(EXECUTIONS)).await().indefinitely();
        String how;
        if (marker.size() > 0 && !Boolean.getBoolean("bench.stats.reseed")) {
            Row row = marker.iterator().next();
            how = String.format(Locale.ROOT, "Seeding: reused, seeded %.1f h ago in %.0f s (BENCH_STATS_RESEED=true seeds again).",
                    row.getDouble(0), row.getDouble(1));
        } else {
            Map<String, Double> seconds = new TreeMap<>();
            long start = System.nanoTime();
            sql("TRUNCATE bench_stats_seed, workflow_steps, workflow_executions, inbox_events, workflow_stats_counts, "
                    + "workflow_stats_durations, workflow_stats_rollup");
            sql("""
                    CREATE OR REPLACE FUNCTION bench_u(g bigint, k int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
                      $$ SELECT (hashint8(g * 64 + k) & 2147483647)::float8 / 2147483648 $$""");
            sql("DROP TABLE IF EXISTS bench_stats_template, bench_stats_plan");
            sql(TEMPLATE);
            int all = EXECUTIONS / 20 * 21;
            timed(seconds, "1 plan", () -> sql(PLAN.formatted(TENANT, OTHER, all)));
            timed(seconds, "2 executions", () -> sql(EXECUTIONS_SQL));
            timed(seconds, "3 steps", () -> sql(STEPS_SQL));
            timed(seconds, "4 events", () -> {
                sql(EVENTS_SQL);
                sql(DEFERRED_SQL.formatted(TENANT));
            });
            sql("DROP TABLE bench_stats_plan, bench_stats_template");
            // As autovacuum would by then: statistics, and the BRIN indexes' summaries of the new blocks.
            timed(seconds, "5 vacuum analyze", () -> {
                for (String table : List.of("workflow_executions", "workflow_steps", "inbox_events")) {
                    sql("VACUUM ANALYZE " + table);
                }
            });
            double total = (System.nanoTime() - start) / 1e9;
            pool.preparedQuery("INSERT INTO bench_stats_seed VALUES ($1, now(), $2)").execute(Tuple.of(EXECUTIONS, total))
                    .await().indefinitely();
            StringBuilder parts = new StringBuilder();
            seconds.forEach((what, s) -> parts.append(parts.isEmpty() ? "" : ", ").append(what.substring(2))
                    .append(String.format(Locale.ROOT, " %.0f s", s)));
            how = String.format(Locale.ROOT, "Seeding: %.0f s (%s).", total, parts);
        }
        Row counts = pool.query("""
                SELECT (SELECT count(*) FROM workflow_executions WHERE tenant_id = '%1$s'),
                       (SELECT count(*) FROM workflow_executions WHERE tenant_id = '%2$s'),
                       (SELECT count(*) FROM workflow_steps), (SELECT count(*) FROM inbox_events),
                       (SELECT count(*) FROM workflow_executions WHERE tenant_id = '%1$s' AND status = 'waiting'),
                       (SELECT count(*) FROM workflow_executions WHERE tenant_id = '%1$s' AND status = 'failed')"""
                .formatted(TENANT, OTHER)).execute().await().indefinitely().iterator().next();
        return String.format(Locale.ROOT, "Seeded over the last 30 days: %s %,d executions (%,d failed, %,d waiting now), %s %,d; "
                        + "%,d steps and %,d inbox events in all.%n%s",
                TENANT, counts.getLong(0), counts.getLong(5), counts.getLong(4), OTHER, counts.getLong(1), counts.getLong(2),
                counts.getLong(3), how);
    }

    /** Rolls up the backfill (31 days) from nothing, as a replica's first start does: StatsRollup.run until nothing is left. */
    private String rollUp() {
        sql("DELETE FROM workflow_stats_rollup");
        sql("TRUNCATE workflow_stats_counts, workflow_stats_durations");
        OffsetDateTime began = OffsetDateTime.now();
        long start = System.nanoTime();
        int runs = 0;
        while (rollup.run().await().indefinitely() > 0) {
            runs++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // From where the first run set the cursor to where it is now.
        Row rolled = pool.preparedQuery("""
                SELECT extract(epoch FROM rolled_up_until - date_trunc('hour', $1::timestamptz - $2::int * interval '1 second')) / 3600,
                       (SELECT count(*) FROM workflow_stats_counts), (SELECT count(*) FROM workflow_stats_durations)
                  FROM workflow_stats_rollup""")
                .execute(Tuple.of(began, (int) config.stats().backfill().toSeconds()))
                .await().indefinitely().iterator().next();
        long hours = Math.round(rolled.getDouble(0));
        return String.format(Locale.ROOT, "Rollup of %d hours (StatsRollup.run %d× until nothing was left): %.0f s, %.0f ms per hour; "
                        + "%,d rows of counts and %,d of durations.",
                hours, runs, seconds, seconds * 1000 / Math.max(1, hours), rolled.getLong(1), rolled.getLong(2));
    }

    private static List<Double> time(String token, String path, int warmup, int calls) {
        return time(token, path, warmup, calls, null);
    }

    /** Milliseconds of each of {@code calls} GETs, after {@code warmup} untimed; {@code timeoutMs} null: the tests' timeout. */
    private static List<Double> time(String token, String path, int warmup, int calls, Integer timeoutMs) {
        for (int i = 0; i < warmup; i++) {
            request(token, timeoutMs).get(path).then().statusCode(200);
        }
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            request(token, timeoutMs).get(path).then().statusCode(200);
            times.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(times);
        return times;
    }

    private static String row(String endpoint, String range, List<Double> sortedTimes) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.0f |", endpoint, range, sortedTimes.size(),
                percentile(sortedTimes, 0.5), percentile(sortedTimes, 0.95), sortedTimes.get(sortedTimes.size() - 1));
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static List<Object> funnel(String token, Integer timeoutMs) {
        return request(token, timeoutMs).get(API + "funnel?range=30d").then().statusCode(200).extract().jsonPath().getList("stages");
    }

    /** The 30-day funnel's stages and their counts, "lead 649,985, quote ...". */
    private static String reached(String token) {
        List<Map<String, Object>> stages = request(token, null).get(API + "funnel?range=30d").then().statusCode(200).extract()
                .jsonPath().getList("stages");
        return stages.stream().map(stage -> String.format(Locale.ROOT, "%s %,d", stage.get("stage"), ((Number) stage.get("reached")).longValue()))
                .collect(Collectors.joining(", "));
    }

    private static RequestSpecification request(String token, Integer timeoutMs) {
        RequestSpecification request = given().auth().oauth2(token);
        if (timeoutMs == null) {
            return request;
        }
        RestAssuredConfig config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", timeoutMs).setParam("http.connection.timeout", timeoutMs));
        return request.config(config);
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    private static void timed(Map<String, Double> seconds, String what, Runnable work) {
        long start = System.nanoTime();
        work.run();
        seconds.put(what, (System.nanoTime() - start) / 1e9);
    }
}
