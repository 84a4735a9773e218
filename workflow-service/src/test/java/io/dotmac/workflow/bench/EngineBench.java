package io.dotmac.workflow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.engine.WorkflowEngine;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The engine benchmark (run by {@code deploy/local/bench}; not part of the test suite). Takes the
 * machine's commit ceiling measured by pgbench before the application started ({@code -Dbench.ceiling},
 * as the script does; alone, it measures it itself), then runs an 8-step transform workflow (pure engine
 * cost) and an 8-step service_call workflow (against an HTTP stub that answers at once) at 1, 8
 * and 64 executions in flight, each started through the engine's start path and run to completed
 * on PostgreSQL with its durable defaults. Prints a table and writes it to
 * {@code target/bench-results.md}. It asserts that every execution completed; it asserts nothing
 * about speed.
 */
@QuarkusTest
@TestProfile(BenchProfile.class)
class EngineBench {

    private static final int STEPS = 8;
    private static final Duration WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmup", 8));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 12));
    private static final int[] IN_FLIGHT = java.util.Arrays.stream(System.getProperty("bench.in-flight", "1,8,64").split(","))
            .mapToInt(Integer::parseInt).toArray();
    private static final List<String> WORKLOADS = List.of(System.getProperty("bench.workloads", "transform,service_call").split(","));

    @Inject
    WorkflowEngine engine;

    @Inject
    WorkflowRepository workflows;

    @Inject
    DefinitionParser parser;

    @Inject
    FinishedTracker tracker;

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void run() throws Exception {
        // deploy/local/bench measures it before the application starts; run alone, this measures it beside the idle application.
        String given = System.getProperty("bench.ceiling");
        double ceiling = given != null ? Double.parseDouble(given) : commitCeiling();
        String ceilingCommand = given != null ? System.getProperty("bench.ceiling-command", "pgbench") + ", before the application started"
                : "pgbench -n -M prepared -c 64 -j 2, beside the idle application";
        String transform = define("transform", i -> "{\"name\":\"s" + i + "\",\"type\":\"transform\",\"set\":{\"v" + i + "\":\"${lead_id}-" + i + "\"}}");
        String serviceCall = define("service_call", i -> "{\"name\":\"s" + i + "\",\"type\":\"service_call\",\"service\":\"crm_service\","
                + "\"method\":\"qualify_lead\",\"params\":{\"lead_id\":\"${lead_id}\"},\"result\":\"r" + i + "\"}");

        List<String> rows = new ArrayList<>();
        for (String[] workload : new String[][] {{"transform", transform}, {"service_call", serviceCall}}) {
            if (!WORKLOADS.contains(workload[0])) {
                continue;
            }
            for (int inFlight : IN_FLIGHT) {
                Result r = measure(workload[1], inFlight);
                assertEquals(0, r.notCompleted, workload[0] + " at " + inFlight + ": executions that did not complete");
                rows.add(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.3f |",
                        workload[0], inFlight, r.executionsPerSecond, r.executionsPerSecond * STEPS, r.p50Millis,
                        r.p99Millis, r.commitsPerStep, r.executionsPerSecond / ceiling));
            }
        }
        String table = String.join("\n",
                String.format(Locale.ROOT, "Commit ceiling (%s; one INSERT and one UPDATE per transaction): %.0f tx/s",
                        ceilingCommand, ceiling),
                "",
                "| workload | in flight | executions/s | steps/s | p50 ms | p99 ms | commits/step | executions/s ÷ ceiling |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                String.join("\n", rows),
                "",
                "Targets at 64 in flight: transform ≥ 0.086 × ceiling with p99 ≤ 400 ms and ≤ 1 commit/step; service_call ≥ 0.043 × ceiling.");
        System.out.println("\n" + table + "\n");
        Files.writeString(Path.of("target", "bench-results.md"), table + "\n", StandardCharsets.UTF_8);
    }

    private String define(String kind, java.util.function.IntFunction<String> step) {
        String name = "bench_" + kind + "_" + UUID.randomUUID().toString().substring(0, 8);
        String steps = IntStream.range(0, STEPS).mapToObj(step).collect(Collectors.joining(",", "[", "]"));
        String json = "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"inputs\":[\"lead_id\"],\"steps\":" + steps + "}";
        WorkflowDefinition definition = parser.parse(JsonCodec.readTree(json));
        workflows.insert(definition, json, null).await().atMost(Duration.ofSeconds(10));
        return name;
    }

    private Result measure(String workflow, int inFlight) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        tracker.reset(slots);
        long warmupEnd = System.nanoTime() + WARMUP.toNanos();
        long end = warmupEnd + MEASURE.toNanos();
        int completedAtWindowStart = -1;
        long commitsAtWindowStart = 0;
        int completedAtWindowEnd = 0;
        while (true) {
            long now = System.nanoTime();
            if (completedAtWindowStart < 0 && now >= warmupEnd) {
                commitsAtWindowStart = commits();
                completedAtWindowStart = tracker.latencies().size();
            }
            if (now >= end) {
                completedAtWindowEnd = tracker.latencies().size();
                break;
            }
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long startNanos = System.nanoTime();
            engine.start(new WorkflowEngine.StartRequest(workflow, Map.of("lead_id", "L1"), null, "bench", "bench", null, null))
                    .subscribe().with(started -> tracker.started(started.id(), startNanos), failure -> {
                        System.err.println("start failed: " + failure);
                        slots.release();
                    });
        }
        // Let the executions in flight finish, then wait for PostgreSQL's statistics to settle.
        long drainDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tracker.inFlight() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        List<Long> all = tracker.latencies();
        long commits = settledCommits() - commitsAtWindowStart;
        int stepsSinceWindowStart = (all.size() - completedAtWindowStart) * STEPS;
        List<Long> window = new ArrayList<>(all.subList(completedAtWindowStart, completedAtWindowEnd));
        Collections.sort(window);
        double seconds = MEASURE.toNanos() / 1e9;
        return new Result(window.size() / seconds, percentile(window, 0.50), percentile(window, 0.99),
                (double) commits / stepsSinceWindowStart, tracker.notCompleted());
    }

    /** The p-th percentile of sorted nanoseconds, in milliseconds. */
    static double percentile(List<Long> sortedNanos, double p) {
        if (sortedNanos.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }

    private long commits() {
        return pool.query("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    // Backends report their counts to pg_stat_database up to a second late (idle ones later):
    // read until two readings a second apart agree (our own reading and the engine's poll aside).
    private long settledCommits() throws InterruptedException {
        long previous = commits();
        for (int i = 0; i < 15; i++) {
            Thread.sleep(1000);
            long current = commits();
            if (current - previous <= 3) {
                return current;
            }
            previous = current;
        }
        return previous;
    }

    /** pgbench with prepared statements and 64 clients, each transaction one INSERT and one UPDATE, on this database. */
    private double commitCeiling() throws IOException, InterruptedException {
        pool.query("""
                CREATE TABLE IF NOT EXISTS bench_ceiling_log (id bigserial PRIMARY KEY, client int, at timestamptz DEFAULT now());
                CREATE TABLE IF NOT EXISTS bench_ceiling_counter (client int PRIMARY KEY, n bigint NOT NULL);
                INSERT INTO bench_ceiling_counter SELECT g, 0 FROM generate_series(0, 63) g ON CONFLICT DO NOTHING;
                """).execute().await().atMost(Duration.ofSeconds(10));
        Path script = Files.createTempFile("ceiling", ".sql");
        Files.writeString(script, """
                BEGIN;
                INSERT INTO bench_ceiling_log (client) VALUES (:client_id);
                UPDATE bench_ceiling_counter SET n = n + 1 WHERE client = :client_id;
                END;
                """);
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(jdbcUrl);
        if (!url.find()) {
            throw new IllegalStateException("cannot read host, port and database from " + jdbcUrl);
        }
        ProcessBuilder pgbench = new ProcessBuilder(pgbenchBinary(), "-n", "-M", "prepared", "-h", url.group(1), "-p", url.group(2),
                "-U", dbUser, "-c", "64", "-j", "2", "-T", String.valueOf(MEASURE.toSeconds()), "-f", script.toString(),
                url.group(3)).redirectErrorStream(true);
        pgbench.environment().put("PGPASSWORD", dbPassword);
        Process process = pgbench.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }

    private static String pgbenchBinary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "pgbench"))) {
                return Path.of(dir, "pgbench").toString();
            }
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable).sorted(Collections.reverseOrder())
                    .findFirst().map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException("pgbench not found (Debian's postgresql package has it)"));
        }
    }

    private record Result(double executionsPerSecond, double p50Millis, double p99Millis, double commitsPerStep,
                          int notCompleted) {
    }
}
