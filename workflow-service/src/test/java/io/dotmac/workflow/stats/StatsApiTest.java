package io.dotmac.workflow.stats;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The overview's figures against the executions this test makes, tenant by tenant: each tenant
 * publishes its own quote_accepted (the funnel's steps by name, no services called) and runs
 * journeys through it; another tenant's are never counted. Then the hours are rolled up and the
 * figures read from the rollups are the same as read live.
 */
@QuarkusTest
class StatsApiTest {

    private static final String JOURNEY = """
            {"name": "quote_accepted", "version": "9.0.%d", "inputs": ["quote_id", "paid"],
             "steps": [
               {"name": "get_quote", "type": "transform", "set": {"quote": {"id": "${quote_id}"}}},
               {"name": "payment_received", "type": "condition", "condition": "paid == 'yes'"},
               {"name": "issue_license", "type": "transform", "set": {"license": "issued"}},
               {"name": "activate_order", "type": "transform", "set": {"order": "active"}}]}""";

    @Inject
    Pool pool;

    @Inject
    StatsRollup rollup;

    @Test
    void eachTenantSeesItsOwnJourneysAndTheRollupsAgreeWithTheTables() {
        String tenant = "t-stats-" + UUID.randomUUID();
        String other = "t-stats-" + UUID.randomUUID();
        String reader = TestTokens.token(tenant, "reader");
        String otherReader = TestTokens.token(other, "reader");
        publish(tenant);
        publish(other);
        for (String paid : List.of("yes", "yes", "yes", "no")) {
            journey(tenant, paid);
        }
        journey(other, "yes");
        renewal(tenant);
        String waiting = waitingExecution(tenant);

        JsonPath funnel = get(reader, "/api/v1/workflows/stats/funnel?range=1h");
        assertEquals(List.of(4, 4, 4, 3, 3, 3, 1, 0, 0, 0), funnel.getList("stages.reached"));
        assertEquals(List.of("lead", "quote", "accepted", "paid", "licensed", "active", "renewed", "past_due", "suspended", "churned"),
                funnel.getList("stages.stage"));
        assertNull(funnel.get("stages[0].conversion"));
        assertEquals(0.75, funnel.getDouble("stages[3].conversion"), 1e-9);
        assertEquals(1.0, funnel.getDouble("stages[5].conversion"), 1e-9);
        // The quote was reached at the lead's step; paid came after it, in another step.
        assertNull(funnel.get("stages[1].median_ms_from_previous"));
        assertNotNull(funnel.get("stages[3].median_ms_from_previous"));
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 0, 0, 0, 0), get(otherReader, "/api/v1/workflows/stats/funnel?range=1h").getList("stages.reached"));

        JsonPath executions = get(reader, "/api/v1/workflows/stats/executions?range=1h");
        assertEquals(300, executions.getInt("bucket_seconds"));
        Map<String, Object> journeys = workflow(executions, "quote_accepted");
        assertEquals(4, journeys.get("started"));
        assertEquals(3, journeys.get("completed"));
        assertEquals(1, journeys.get("failed"));
        assertEquals(0, journeys.get("waiting"));
        assertEquals(4, executions.<Integer>getList("workflows.find { it.workflow == 'quote_accepted' }.series.started")
                .stream().mapToInt(Integer::intValue).sum());
        assertEquals(1, workflow(executions, "stats_wait").get("waiting"));
        assertEquals(1, workflow(get(otherReader, "/api/v1/workflows/stats/executions?range=1h"), "quote_accepted").get("started"));

        JsonPath failing = get(reader, "/api/v1/workflows/stats/steps?range=1h&sort=failing");
        assertEquals("payment_received", failing.get("steps[0].step"));
        assertEquals(4, failing.getInt("steps[0].runs"));
        assertEquals(1, failing.getInt("steps[0].failed"));
        assertNotNull(failing.get("steps[0].p95_ms"));
        assertEquals(5, failing.getList("steps").size(), "the journey's four steps and the renewal's; the wait has not ended");

        JsonPath waits = get(reader, "/api/v1/workflows/stats/waiting");
        assertEquals(1, waits.getInt("waiting"));
        assertEquals(waiting, waits.get("longest[0].execution_id"));
        assertEquals("hold", waits.get("longest[0].step"));
        assertEquals(0, get(otherReader, "/api/v1/workflows/stats/waiting").getInt("waiting"));
        cancel(tenant, waiting);

        // As if they had run three hours ago: read from the tables (nothing rolled up), then from the
        // rollups of their closed hours, the same.
        moveBack(Duration.ofHours(3), tenant, other);
        sql("DELETE FROM workflow_stats_rollup");
        Map<String, Object> live = figures(reader, "24h");
        Map<String, Object> weekLive = figures(reader, "7d");
        Map<String, Object> otherLive = figures(otherReader, "24h");
        assertTrue(rollUpFrom(Duration.ofHours(5)) >= 1, "rolled up");
        long rolledUp = pool.preparedQuery("SELECT count(*) FROM workflow_stats_counts WHERE tenant_key = $1")
                .execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
        assertTrue(rolledUp > 0, "the tenant's hours are rolled up");
        assertEquals(live, figures(reader, "24h"));
        assertEquals(weekLive, figures(reader, "7d"), "six-hour bins of rolled-up hours and live ones");
        assertEquals(otherLive, figures(otherReader, "24h"));
        assertEquals(List.of(4, 4, 4, 3, 3, 3, 1, 0, 0, 0), get(reader, "/api/v1/workflows/stats/funnel?range=7d").getList("stages.reached"));
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), get(reader, "/api/v1/workflows/stats/funnel?range=1h").getList("stages.reached"));
    }

    @Test
    void aRangeOrLimitOrSortItDoesNotKnowIsABadRequest() {
        String reader = TestTokens.token("t-stats-bad", "reader");
        for (String path : List.of("funnel?range=2h", "executions?range=24hours", "steps?range=24h&sort=fastest", "events?range=1y",
                "waiting?limit=0", "waiting?limit=101", "waiting?limit=ten")) {
            given().auth().oauth2(reader).get("/api/v1/workflows/stats/" + path).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString(path.contains("limit") ? "limit"
                            : path.contains("sort") ? "sort" : "range"));
        }
        given().get("/api/v1/workflows/stats/funnel").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("t-stats-bad", "service")).get("/api/v1/workflows/stats/funnel").then().statusCode(403);
    }

    private static void publish(String tenant) {
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON)
                .body(JOURNEY.formatted(Math.abs(tenant.hashCode() % 1000))).post("/api/v1/workflows").then().statusCode(201);
    }

    private static void journey(String tenant, String paid) {
        given().auth().oauth2(TestTokens.token(tenant, "operator")).contentType(ContentType.JSON)
                .body("{\"workflow_name\": \"quote_accepted\", \"context\": {\"quote_id\": \"%s\", \"paid\": \"%s\"}}"
                        .formatted(UUID.randomUUID(), paid))
                .post("/api/v1/workflows/execute?wait=20s").then().statusCode(200)
                .body("status", equalTo(paid.equals("yes") ? "completed" : "failed"));
    }

    /** A renewal through the tenant's own subscription_renewed: counted, not converted. */
    private static void renewal(String tenant) {
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body("""
                {"name": "subscription_renewed", "version": "9.0.0", "inputs": ["invoice_id"],
                 "steps": [{"name": "renew_licenses", "type": "transform", "set": {"renewed": "${invoice_id}"}}]}""")
                .post("/api/v1/workflows").then().statusCode(201);
        given().auth().oauth2(TestTokens.token(tenant, "operator")).contentType(ContentType.JSON)
                .body("{\"workflow_name\": \"subscription_renewed\", \"context\": {\"invoice_id\": \"in_1\"}}")
                .post("/api/v1/workflows/execute?wait=20s").then().statusCode(200).body("status", equalTo("completed"));
    }

    private static String waitingExecution(String tenant) {
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body("""
                {"name": "stats_wait", "version": "1.0.0", "inputs": ["go"],
                 "steps": [{"name": "hold", "type": "condition", "condition": "go == 'yes'", "timeout_seconds": 3600}]}""")
                .post("/api/v1/workflows").then().statusCode(201);
        return given().auth().oauth2(TestTokens.token(tenant, "operator")).contentType(ContentType.JSON)
                .body("{\"workflow_name\": \"stats_wait\", \"context\": {\"go\": \"no\"}}")
                .post("/api/v1/workflows/execute?wait=20s").then().statusCode(200).body("status", equalTo("waiting"))
                .extract().path("id");
    }

    /** Cancelled, so that moving it into the past does not run out its wait. */
    private static void cancel(String tenant, String execution) {
        String operator = TestTokens.token(tenant, "operator");
        given().auth().oauth2(operator).post("/api/v1/workflows/executions/" + execution + "/cancel").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> "cancelled".equals(
                get(operator, "/api/v1/workflows/executions/" + execution).getString("status")));
    }

    private static JsonPath get(String token, String path) {
        return given().auth().oauth2(token).get(path).then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    private static Map<String, Object> workflow(JsonPath executions, String name) {
        List<Map<String, Object>> workflows = executions.getList("workflows");
        return workflows.stream()
                .filter(w -> name.equals(w.get("workflow"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + executions.prettify()));
    }

    /** The funnel, executions and steps of a range. */
    private static Map<String, Object> figures(String token, String range) {
        return Map.of("funnel", get(token, "/api/v1/workflows/stats/funnel?range=" + range).getList("stages"),
                "executions", get(token, "/api/v1/workflows/stats/executions?range=" + range).getList("workflows"),
                "steps", get(token, "/api/v1/workflows/stats/steps?range=" + range).getList("steps"));
    }

    /** The tenants' executions and steps, as if they had run that long ago. */
    private void moveBack(Duration by, String... tenants) {
        Tuple params = Tuple.of((int) by.toSeconds(), tenants);
        pool.withTransaction(tx -> tx.preparedQuery("""
                UPDATE workflow_steps s SET started_at = s.started_at - $1::int * interval '1 second',
                       completed_at = s.completed_at - $1::int * interval '1 second'
                  FROM workflow_executions e WHERE e.id = s.execution_id AND e.tenant_id = ANY($2)""").execute(params)
                .chain(() -> tx.preparedQuery("""
                        UPDATE workflow_executions SET created_at = created_at - $1::int * interval '1 second',
                               completed_at = completed_at - $1::int * interval '1 second'
                         WHERE tenant_id = ANY($2)""").execute(params)))
                .await().indefinitely();
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }

    /** Sets the rollups' cursor that far back (on the hour) and rolls up every closed hour since; emits the transactions it took. */
    private int rollUpFrom(Duration back) {
        pool.preparedQuery("""
                INSERT INTO workflow_stats_rollup (rolled_up_until) VALUES (date_bin(interval '1 hour', now() - $1::int * interval '1 second', timestamptz '2000-01-01Z'))
                ON CONFLICT (singleton) DO UPDATE SET rolled_up_until = excluded.rolled_up_until""")
                .execute(Tuple.of((int) back.toSeconds())).await().indefinitely();
        return rollup.run().await().indefinitely();
    }
}
