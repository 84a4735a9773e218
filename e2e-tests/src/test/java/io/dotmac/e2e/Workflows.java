package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The workflow-service's API as the tests use it: read and store definitions; start, read and wait
 * for executions, print them.
 */
public final class Workflows {

    /** The statuses an execution ends in, lowercase as the API (and the original guide) spells them. */
    public static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private final Api api;
    private final Suite suite;

    public Workflows(Suite suite, Api api) {
        this.suite = suite;
        this.api = api;
    }

    /** {@code GET /api/v1/workflows/{name}}'s definition: the version of {@code name} that runs for the caller's tenant. */
    public Map<String, Object> definition(String name) {
        return api.to(Service.WORKFLOW).get("/api/v1/workflows/{name}", name).then().statusCode(200)
                .extract().jsonPath().getMap("definition");
    }

    /** {@code POST /api/v1/workflows}: stores a definition (or a new version of one) for the caller's tenant. */
    public void store(Map<String, ?> definition) {
        api.to(Service.WORKFLOW).body(definition).post("/api/v1/workflows").then().statusCode(201);
    }

    /**
     * Stores {@code definition} as the caller's newest version of its name, past every version the
     * caller stored before (one a test deactivated included: the shop's tenant is shared by the run's
     * shop tests); returns that version.
     */
    public String storeAsNewest(Map<String, Object> definition) {
        String[] version = ((String) definition.get("version")).split("\\.");
        List<Map<String, Object>> all = api.to(Service.WORKFLOW).queryParam("all_versions", true).get("/api/v1/workflows")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.name == '" + definition.get("name") + "' }");
        int patch = Integer.parseInt(version[2]);
        for (Map<String, Object> stored : all) {
            String[] other = ((String) stored.get("version")).split("\\.");
            if (other[0].equals(version[0]) && other[1].equals(version[1])) {
                patch = Math.max(patch, Integer.parseInt(other[2]) + 1);
            }
        }
        definition.put("version", version[0] + "." + version[1] + "." + patch);
        store(definition);
        return (String) definition.get("version");
    }

    /** {@code POST /api/v1/workflows/{name}/deactivate}: the caller's {@code version} of {@code name} starts no more executions. */
    public void deactivate(String name, String version) {
        api.to(Service.WORKFLOW).queryParam("version", version).post("/api/v1/workflows/{name}/deactivate", name)
                .then().statusCode(200);
    }

    /** The id of the caller's execution of {@code workflow} under the business key {@code key}, waiting for it to start. */
    public String awaitExecution(String workflow, String key, Duration timeout) {
        return await(workflow + " of " + key).atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> list(key).stream().filter(e -> workflow.equals(e.get("workflow_name"))).map(e -> (String) e.get("id")).toList(),
                        found -> !found.isEmpty()).get(0);
    }

    /** {@code POST /api/v1/workflows/execute}; the execution's id. */
    public String start(String workflow, Map<String, ?> context, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workflow_name", workflow);
        body.put("context", context);
        body.put("idempotency_key", idempotencyKey);
        return api.to(Service.WORKFLOW).body(body).post("/api/v1/workflows/execute")
                .then().statusCode(202).extract().path("execution_id");
    }

    /**
     * {@code GET /api/v1/workflows/executions/{id}}: the execution's fields ({@code id}, {@code status},
     * {@code workflow_name}, ...) at the top level, beside {@code context}, {@code result} and {@code steps}.
     */
    public JsonPath execution(String id) {
        return api.to(Service.WORKFLOW).get("/api/v1/workflows/executions/{id}", id)
                .then().statusCode(200).extract().jsonPath();
    }

    /** The caller's executions, newest first (at most 200), optionally filtered by a business key. */
    public List<Map<String, Object>> list(String key) {
        var request = api.to(Service.WORKFLOW).queryParam("limit", 200);
        if (key != null) {
            request = request.queryParam("key", key);
        }
        return request.get("/api/v1/workflows/executions").then().statusCode(200).extract().jsonPath().getList("items");
    }

    /** The ids of the caller's executions of {@code workflow}, newest first. */
    public List<String> ofWorkflow(String workflow) {
        return list(null).stream().filter(e -> workflow.equals(e.get("workflow_name"))).map(e -> (String) e.get("id")).toList();
    }

    /**
     * {@code definition} as the caller's next version, its steps named in {@code timeouts} waiting
     * the seconds given: a built-in's logic with waits of seconds instead of days, as a tenant
     * publishes its own grace or retention.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withTimeouts(Map<String, Object> definition, Map<String, Integer> timeouts) {
        nextVersion(definition);
        for (Map<String, Object> step : (List<Map<String, Object>>) definition.get("steps")) {
            Integer seconds = timeouts.get((String) step.get("name"));
            if (seconds != null) {
                step.put("timeout_seconds", seconds);
            }
        }
        return definition;
    }

    /**
     * {@code definition} as the caller's next version, {@code step} run right after the step named
     * {@code after}: a built-in with a step of the test's own (a wait to land a crash in, say).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withStepAfter(Map<String, Object> definition, String after, Map<String, Object> step) {
        nextVersion(definition);
        List<Map<String, Object>> steps = new ArrayList<>((List<Map<String, Object>>) definition.get("steps"));
        int at = steps.stream().map(s -> s.get("name")).toList().indexOf(after);
        if (at < 0) {
            throw new IllegalArgumentException(definition.get("name") + " has no step " + after);
        }
        steps.add(at + 1, step);
        definition.put("steps", steps);
        return definition;
    }

    private static void nextVersion(Map<String, Object> definition) {
        String[] version = ((String) definition.get("version")).split("\\.");
        definition.put("version", version[0] + "." + version[1] + "." + (Integer.parseInt(version[2]) + 1));
    }

    /**
     * Polls the execution until its status is one of {@code wanted}; fails at once, with its steps'
     * errors and where the logs are, if it ends in another status, and after {@code timeout}.
     */
    public JsonPath awaitStatus(String id, Duration timeout, String... wanted) {
        Set<String> statuses = Set.of(wanted);
        return awaitState(id, timeout, Arrays.toString(wanted), detail -> statuses.contains(detail.getString("status")));
    }

    /**
     * Polls the execution until {@code reached} holds for its detail ({@code what} names that state in
     * failures); fails at once if it ends in a status where {@code reached} does not hold, and after
     * {@code timeout}.
     */
    public JsonPath awaitState(String id, Duration timeout, String what, Predicate<JsonPath> reached) {
        AtomicReference<JsonPath> last = new AtomicReference<>();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                    // a workflow-service being restarted by a test is not an answer
                    .ignoreExceptionsInstanceOf(java.net.ConnectException.class)
                    .until(() -> {
                        JsonPath detail = execution(id);
                        last.set(detail);
                        if (reached.test(detail)) {
                            return true;
                        }
                        String status = detail.getString("status");
                        if (TERMINAL.contains(status)) {
                            throw new AssertionError("execution " + id + " ended " + status + ", not " + what
                                    + "\n" + describe(detail) + "\n" + suite.logPaths());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            JsonPath detail = last.get();
            throw new AssertionError("execution " + id + " is not " + what + " after "
                    + timeout.toSeconds() + " s\n" + (detail == null ? "(never read)" : describe(detail))
                    + "\n" + suite.logPaths(), e);
        }
        return last.get();
    }

    /**
     * The caller's executions once it has at least {@code expected} of each named workflow and every
     * one of them has ended; fails with the list as last read.
     */
    public List<Map<String, Object>> awaitAllEnded(Map<String, Integer> expected, Duration timeout) {
        return awaitAllEnded(null, expected, timeout);
    }

    /** The same for the caller's executions of a business key ({@link #list}). */
    public List<Map<String, Object>> awaitAllEnded(String key, Map<String, Integer> expected, Duration timeout) {
        AtomicReference<List<Map<String, Object>>> last = new AtomicReference<>(List.of());
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(java.net.ConnectException.class)
                    .until(() -> {
                        last.set(list(key));
                        return last.get();
                    }, all -> {
                        Map<Object, Long> started = all.stream().collect(Collectors.groupingBy(e -> e.get("workflow_name"),
                                Collectors.counting()));
                        return expected.entrySet().stream().allMatch(w -> started.getOrDefault(w.getKey(), 0L) >= w.getValue())
                                && all.stream().allMatch(e -> TERMINAL.contains(e.get("status")));
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every execution ended, or fewer than " + expected + " started, within "
                    + timeout.toSeconds() + " s: " + summaries(last.get()) + "\n" + suite.logPaths(), e);
        }
    }

    /**
     * Fails unless every step of each execution is recorded once, completed (or skipped, its {@code when}
     * false): nothing ran twice to a result, nothing was left behind.
     */
    public void assertEachStepCompletedOnce(Collection<String> executionIds) {
        List<String> problems = new ArrayList<>();
        for (String id : executionIds) {
            JsonPath detail = execution(id);
            List<Map<String, Object>> steps = detail.getList("steps");
            Map<Object, List<Object>> byName = steps.stream().collect(Collectors.groupingBy(s -> s.get("step_name"), TreeMap::new,
                    Collectors.mapping(s -> s.get("status"), Collectors.toList())));
            if (!byName.values().stream().allMatch(statuses -> statuses.equals(List.of("completed")) || statuses.equals(List.of("skipped")))) {
                problems.add(byName + "\n" + describe(detail));
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " executions have a step recorded other than completed (or skipped) once:\n" + String.join("\n", problems));
        }
    }

    /** "name id status (error)" of each execution of a list. */
    public static String summaries(List<Map<String, Object>> executions) {
        return executions.stream().map(e -> e.get("workflow_name") + " " + e.get("id") + " " + e.get("status")
                + (e.get("error_message") == null ? "" : " (" + e.get("error_message") + ")")).toList().toString();
    }

    /** An execution and its steps, one line each, with errors: for failure messages and CI logs. */
    public static String describe(JsonPath detail) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> execution = detail.getMap("");
        OffsetDateTime created = OffsetDateTime.parse((String) execution.get("created_at"));
        out.append(String.format("%s %s v%s: %s (trigger %s%s)%s", execution.get("workflow_name"), execution.get("id"),
                execution.get("workflow_version"), execution.get("status"), execution.get("trigger_type"),
                execution.get("trigger_source") == null ? "" : " " + execution.get("trigger_source"),
                execution.get("error_message") == null ? "" : " error: " + execution.get("error_message")));
        List<Map<String, Object>> steps = detail.getList("steps");
        for (Map<String, Object> step : steps) {
            out.append(String.format("%n  %8s  run %s #%-2s %-27s %-10s %-9s %6s ms%s%s",
                    offset(created, (String) step.get("started_at")), step.get("run_number"),
                    step.get("sequence_number"), step.get("step_name"), step.get("step_type"), step.get("status"),
                    step.get("duration_ms") == null ? "-" : step.get("duration_ms"),
                    ((Number) step.get("retry_count")).intValue() > 0 ? " retries " + step.get("retry_count") : "",
                    step.get("error_message") == null ? "" : " error: " + step.get("error_message")));
        }
        return out.toString();
    }

    /** "+1.234s" from {@code from} to {@code at}. */
    public static String offset(OffsetDateTime from, String at) {
        if (at == null) {
            return "-";
        }
        return String.format("+%.3fs", Duration.between(from, OffsetDateTime.parse(at)).toMillis() / 1000.0);
    }
}
