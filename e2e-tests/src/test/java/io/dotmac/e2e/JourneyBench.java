package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journey row of {@code deploy/local/bench journey} (not part of the test suite): N customers
 * (default 40, {@code -Dbench.journeys}) walked at once through {@code lead_to_customer} on the
 * suite's six services (after a first round as large, not measured, that warms them), through the
 * public APIs, with the Stripe and SMTP stand-ins answering at once and each customer paying on the
 * Checkout page as soon as its emailed link arrives (looked for every 200 ms). Every customer's quote
 * is made ready first; then all accept at once, and each journey is timed from its acceptance's
 * answer (and from its payment's) to its execution's {@code completed_at}. The wake-up is the
 * acceptance's answer to {@code wait_for_quote_acceptance}'s completion: the event's way through the
 * outbox, Kafka and the engine. Prints the figures and writes them to {@code target/bench-journey.md}; asserts only that
 * every journey completed.
 */
@ExtendWith(SuiteExtension.class)
class JourneyBench {

    private static final int JOURNEYS = Integer.getInteger("bench.journeys", 40);
    private static final int WARMUP = Integer.getInteger("bench.journeys-warmup", JOURNEYS);
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private record Journey(Instant accepted, Instant paid, JsonPath done) {
    }

    /** A customer's acceptance and payment, as its thread saw them answered. */
    private record Walked(Instant accepted, Instant paid) {
    }

    @Test
    void run(Suite suite) throws Exception {
        String tenant = suite.newTenant("bench");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Onboarding onboarding = new Onboarding(api, new Workflows(suite, api));
        ExecutorService threads = Executors.newFixedThreadPool(JOURNEYS);
        try {
            // The suite's JVMs have just started: a first round, not measured, warms them (JIT, pools, caches).
            walk(suite, threads, onboarding, api, WARMUP);
            Instant from = Instant.now();
            List<Journey> journeys = walk(suite, threads, onboarding, api, JOURNEYS);
            // When the measured round ran, to read a profile of the same minutes (BENCH_JVM_OPTIONS).
            System.out.printf("[bench] measured round from %s to %s%n", from, Instant.now());
            assertEquals(JOURNEYS, journeys.size());
            report(journeys);
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * {@code count} customers made ready to accept their quotes, then accepting at once and paying as
     * their links arrive; followed to completed with one list of the round's completed journeys every
     * half second (a poll per journey took as much of the two cores as the six services did).
     */
    private static List<Journey> walk(Suite suite, ExecutorService threads, Onboarding onboarding, Api api, int count)
            throws Exception {
        Instant round = Instant.now();
        List<Onboarding.Customer> customers = all(threads, Collections.nCopies(count,
                () -> onboarding.awaitQuote(onboarding.start("manual"), TIMEOUT)));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Walked>> running = customers.stream().map(customer -> threads.submit(() -> {
            go.await();
            onboarding.accept(customer);
            Instant accepted = Instant.now();
            // Each customer pays as soon as its link arrives (its thread looks every 200 ms), all at once.
            Checkout.pay(Checkout.link(suite, customer.email(), TIMEOUT));
            return new Walked(accepted, Instant.now());
        })).toList();
        go.countDown();
        List<String> ids = customers.stream().map(Onboarding.Customer::executionId).toList();
        Workflows workflows = new Workflows(suite, api);
        try {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> api.to(Service.WORKFLOW)
                    .queryParam("workflow_name", "lead_to_customer").queryParam("status", "completed")
                    .queryParam("from", round.toString()).queryParam("limit", 200).get("/api/v1/workflows/executions")
                    .then().statusCode(200).extract().<List<String>>path("items.id"), done -> done.containsAll(ids));
        } catch (ConditionTimeoutException e) {
            // Fails with the first journey that is not completed, its steps and errors.
            ids.forEach(id -> workflows.awaitStatus(id, Duration.ofSeconds(1), "completed"));
            throw e;
        }
        List<Journey> journeys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Walked walked = running.get(i).get();
            journeys.add(new Journey(walked.accepted(), walked.paid(), workflows.execution(ids.get(i))));
        }
        return journeys;
    }

    private static void report(List<Journey> journeys) throws Exception {
        List<Long> total = new ArrayList<>();
        List<Long> wake = new ArrayList<>();
        List<Long> afterPaying = new ArrayList<>();
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        Instant first = journeys.stream().map(Journey::accepted).min(Instant::compareTo).orElseThrow();
        Instant last = first;
        for (Journey journey : journeys) {
            Instant completed = OffsetDateTime.parse(journey.done().getString("completed_at")).toInstant();
            last = completed.isAfter(last) ? completed : last;
            total.add(Duration.between(journey.accepted(), completed).toMillis());
            afterPaying.add(Duration.between(journey.paid(), completed).toMillis());
            for (Map<String, Object> step : journey.done().<Map<String, Object>>getList("steps")) {
                String name = (String) step.get("step_name");
                if (step.get("duration_ms") instanceof Number duration) {
                    steps.computeIfAbsent(name, n -> new ArrayList<>()).add(duration.longValue());
                }
                if ("wait_for_quote_acceptance".equals(name)) {
                    wake.add(Duration.between(journey.accepted(), OffsetDateTime.parse((String) step.get("completed_at"))
                            .toInstant()).toMillis());
                }
            }
        }
        double seconds = Duration.between(first, last).toMillis() / 1000.0;
        List<String> lines = new ArrayList<>(List.of("",
                String.format(Locale.ROOT, "Journeys: %d at once, lead_to_customer from the acceptance to completed, %.1f journeys/s",
                        journeys.size(), journeys.size() / seconds),
                "",
                "| measure | p50 ms | p99 ms | max ms |",
                "| --- | ---: | ---: | ---: |",
                row("accept → completed", total),
                row("accept → woken (wait_for_quote_acceptance completed)", wake),
                row("paid (Checkout's answer) → completed", afterPaying)));
        steps.forEach((name, durations) -> lines.add(row("step " + name, durations)));
        lines.add("");
        lines.add("Targets: accept → completed p50 ≤ 1,500 ms and p99 ≤ 3,000 ms; accept → woken p50 ≤ 50 ms, p99 ≤ 250 ms."
                + " Each customer pays as its link arrives (looked for every 200 ms): wait_for_payment includes that.");
        String table = String.join("\n", lines);
        System.out.println(table + "\n");
        Files.writeString(Path.of("target", "bench-journey.md"), table + "\n", StandardCharsets.UTF_8);
    }

    private static String row(String what, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %d | %d |", what, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static <T> List<T> all(ExecutorService threads, List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> future : threads.invokeAll(tasks)) {
            results.add(future.get());
        }
        return results;
    }
}
