package io.dotmac.workflow.engine;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One tenant's definitions, inputs and volume cannot stop the engine for the others: its
 * expressions and data are bounded, an execution whose drivers keep dying is quarantined, long
 * backoffs hold nothing, and its starts are held to its quota.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class TenantIsolationTest {

    @Inject
    EngineTestSupport support;

    @Inject
    WorkflowEngine engine;


    private static String tenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Another tenant's work, started while the first misbehaves: it must complete as usual. */
    private UUID neighbour() {
        String tenant = tenant("good");
        String workflow = support.define(tenant, "[\"n\"]", """
                [{"name":"check","type":"condition","condition":"n > 1"},
                 {"name":"set","type":"transform","set":{"doubled":"${n}"}}]""");
        return support.start(tenant, workflow, Map.of("n", 2));
    }

    @Test
    void aCatastrophicRegularExpressionFailsItsExecutionAndNobodyElseWaits() {
        String evil = tenant("evil");
        String workflow = support.define(evil, "[\"s\"]", """
                [{"name":"match","type":"condition","condition":"s =~ '(.*a){20}'"}]""");

        UUID regex = support.start(evil, workflow, Map.of("s", "a".repeat(40) + "!"));
        UUID other = neighbour();

        Map<String, Object> failed = support.awaitTerminal(regex);
        assertEquals("failed", failed.get("status"));
        assertTrue(failed.get("error_message").toString().contains("(.*a){20}"), () -> failed.get("error_message").toString());
        assertEquals("completed", support.awaitTerminal(other).get("status"));
    }

    @Test
    void aRegularExpressionThatWouldExpandBeyondItsLimitFailsWithTheLimitNamed() {
        String evil = tenant("evil");
        String workflow = support.define(evil, "[\"s\"]", """
                [{"name":"match","type":"condition","condition":"s =~ '((a{1000}){1000}){1000}'"}]""");

        Map<String, Object> failed = support.awaitTerminal(support.start(evil, workflow, Map.of("s", "aaa")));

        assertEquals("failed", failed.get("status"));
        assertTrue(failed.get("error_message").toString().contains("workflow.limits.regex-size"), () -> failed.get("error_message").toString());
    }

    @Test
    void aContextThatDoublesAtEachStepFailsAtTheLimitInsteadOfRunningTheEngineOutOfMemory() {
        String evil = tenant("evil");
        StringJoiner steps = new StringJoiner(",", "[", "]");
        for (int i = 1; i <= 21; i++) {
            steps.add("{\"name\":\"double_" + i + "\",\"type\":\"transform\",\"set\":{\"a_" + i + "\":[\"${a_" + (i - 1)
                    + "}\",\"${a_" + (i - 1) + "}\"]}}");
        }
        String workflow = support.define(evil, "[\"a_0\"]", steps.toString());

        UUID doubling = support.start(evil, workflow, Map.of("a_0", "x".repeat(100)));
        UUID other = neighbour();

        Map<String, Object> failed = support.awaitTerminal(doubling);
        assertEquals("failed", failed.get("status"));
        String error = failed.get("error_message").toString();
        assertTrue(error.contains("workflow.limits.max-") && error.contains("bytes"), error);
        assertEquals("completed", support.awaitTerminal(other).get("status"));
    }

    @Test
    void aLargeContextIsCheckedWrittenClaimedAndReadBackWhole() {
        String tenant = tenant("large");
        // 150,000 characters, 300 KB as UTF-8: above what is handled on the event loop (LargeData), within the limits.
        String large = "é".repeat(150_000);
        String workflow = support.define(tenant, "[\"a\"]", """
                [{"name":"copy","type":"transform","set":{"b":"${a}"}},
                 {"name":"check","type":"condition","condition":"b == a"}]""");
        long workflowId = ((Number) support.query("SELECT id FROM workflows WHERE name = ?", workflow).get(0).get("id")).longValue();
        UUID execution = UUID.randomUUID();
        // Left by an instance that died: the claim reads the large context back.
        support.update("""
                INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context, tenant_id,
                    current_step, lease_owner, lease_expires_at, started_at)
                VALUES (?, ?, ?, '1.0.0', 'running', jsonb_build_object('a', ?::text), ?, 0, 'dead-instance',
                        now() - interval '1 second', now())""", execution, workflowId, workflow, large, tenant);

        assertEquals("completed", support.awaitTerminal(execution).get("status"));
        Map<String, Object> detail = given().auth().oauth2(TestTokens.token(tenant, "reader"))
                .when().get("/api/v1/workflows/executions/" + execution)
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath().getMap("");
        Map<?, ?> context = (Map<?, ?>) detail.get("context");
        assertEquals(large, context.get("a"));
        assertEquals(large, context.get("b"));
        Map<?, ?> copied = (Map<?, ?>) ((Map<?, ?>) ((List<?>) detail.get("steps")).get(0)).get("output_data");
        assertEquals(large, copied.get("b"));
    }

    @Test
    void aStartWhoseContextIsOverTheLimitIsRefusedWithTheLimitNamed() {
        String workflow = support.define("[\"a\"]", "[{\"name\":\"a\",\"type\":\"transform\",\"set\":{\"x\":1}}]");
        // An event's data can be as large as its broker allows; the API's body limit keeps its own starts below this.
        Map<String, Object> context = Map.of("a", "x".repeat(1_100_000));

        Throwable refused = assertThrows(InvalidInputException.class, () -> engine.start(
                new WorkflowEngine.StartRequest(workflow, context, null, "manual", "test", null, null)).await().atMost(Duration.ofSeconds(10)));

        assertTrue(refused.getMessage().contains("workflow.limits.max-context"), refused.getMessage());
        assertTrue(support.query("SELECT id FROM workflow_executions WHERE workflow_name = ?", workflow).isEmpty());
    }

    @Test
    void twoHundredTransformsInARowComplete() {
        StringJoiner steps = new StringJoiner(",", "[", "]");
        for (int i = 1; i <= 200; i++) {
            steps.add("{\"name\":\"t_" + i + "\",\"type\":\"transform\",\"set\":{\"n\":\"" + i + "\"}}");
        }
        String workflow = support.define("[]", steps.toString());

        Map<String, Object> done = support.awaitTerminal(support.start(workflow, Map.of()));

        assertEquals("completed", done.get("status"), () -> "error: " + done.get("error_message"));
        assertEquals(200, support.steps(support.query("SELECT id FROM workflow_executions WHERE workflow_name = ?", workflow)
                .stream().map(row -> (UUID) row.get("id")).findFirst().orElseThrow()).size());
    }

    @Test
    void anExecutionWhoseDriversKeepDyingIsQuarantinedAndNotClaimedAgainUntilRetried() {
        String workflow = support.define("[]", "[{\"name\":\"a\",\"type\":\"transform\",\"set\":{\"x\":1}}]");
        long workflowId = ((Number) support.query("SELECT id FROM workflows WHERE name = ?", workflow).get(0).get("id")).longValue();
        UUID execution = UUID.randomUUID();
        // As three instances left it that each claimed it and died before a checkpoint (out of
        // memory, say), the last having noted why.
        support.update("""
                INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context,
                    current_step, lease_owner, lease_expires_at, started_at, driver_attempts, driver_error)
                VALUES (?, ?, ?, '1.0.0', 'running', '{}'::jsonb, 0, 'dead-instance', now() - interval '1 second', now(), 3,
                        'OutOfMemoryError: Java heap space')""", execution, workflowId, workflow);

        Map<String, Object> failed = support.awaitTerminal(execution);

        assertEquals("failed", failed.get("status"));
        String error = failed.get("error_message").toString();
        assertTrue(error.contains("quarantined") && error.contains("OutOfMemoryError"), error);
        assertTrue(support.steps(execution).isEmpty(), "a quarantined execution is not driven");
        assertNull(failed.get("lease_owner"));

        // An operator retries it (after changing the definition): it runs again, and completes.
        assertTrue(engine.retry(execution).await().atMost(Duration.ofSeconds(5)));
        assertEquals("completed", support.awaitTerminal(execution).get("status"));
    }

    @Test
    void aLongBackoffLetsGoOfTheExecutionUntilItIsDue() {
        DownstreamStub.SecondTry qualify = DownstreamStub.leadQualifiedOnSecondTry(support, 4);

        UUID execution = support.start(qualify.workflow(), Map.of("lead_id", qualify.lead()));

        await().atMost(Duration.ofSeconds(10)).until(() -> support.steps(execution).stream()
                .anyMatch(step -> ((Number) step.get("retry_count")).intValue() == 1));
        Map<String, Object> backingOff = support.execution(execution);
        assertEquals("running", backingOff.get("status"));
        assertNull(backingOff.get("lease_owner"), "a backoff longer than workflow.retry.hold-up-to holds no lease");
        assertNotNull(backingOff.get("next_wake_at"));
        assertEquals("completed", support.awaitTerminal(execution).get("status"));
    }

    @Test
    void aTenantStartingFasterThanItsQuotaGets429WithRetryAfterAndOthersDoNot() {
        String workflow = "quota_" + UUID.randomUUID().toString().substring(0, 8);
        for (String tenant : List.of("t-flood", "t-calm")) {
            given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body("""
                    {"name": "%s", "version": "1.0.0", "steps": [{"name": "a", "type": "transform", "set": {"x": 1}}]}"""
                    .formatted(workflow)).when().post("/api/v1/workflows").then().statusCode(201);
        }
        List<Integer> flood = new ArrayList<>();
        List<Integer> calm = new ArrayList<>();
        io.restassured.response.Response refused = null;
        for (int i = 0; i < 6; i++) {
            io.restassured.response.Response response = startAs("t-flood", workflow);
            flood.add(response.statusCode());
            refused = refused == null && response.statusCode() == 429 ? response : refused;
            calm.add(startAs("t-calm", workflow).statusCode());
        }

        assertTrue(flood.contains(202), flood::toString);
        assertNotNull(refused, () -> "no 429 among " + flood);
        assertTrue(refused.header("Retry-After").matches("[1-9][0-9]*"), refused.header("Retry-After"));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertTrue(refused.jsonPath().getString("detail").contains("workflow.quota"), refused.asString());
        assertEquals(List.of(202, 202, 202, 202, 202, 202), calm);
    }

    private io.restassured.response.Response startAs(String tenant, String workflow) {
        return given().auth().oauth2(TestTokens.token(tenant, "operator")).contentType(ContentType.JSON)
                .body("{\"workflow_name\": \"" + workflow + "\", \"context\": {}}")
                .when().post("/api/v1/workflows/execute").then().extract().response();
    }
}
