package io.dotmac.workflow.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The workflow API over HTTP with real tokens: definitions, executions, errors, tenancy. */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class WorkflowApiTest {

    static final String TENANT = "tenant-" + UUID.randomUUID().toString().substring(0, 6);
    static final String OTHER_TENANT = "other-" + UUID.randomUUID().toString().substring(0, 6);
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");

    static String name() {
        return "api_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String definition(String name, String version) {
        return """
                {"name": "%s", "version": "%s", "inputs": ["lead_id"],
                 "steps": [{"name": "greet", "type": "transform", "set": {"greeting": "hello ${lead_id}"}}]}"""
                .formatted(name, version);
    }

    /** A workflow whose execution waits an hour for a condition that stays false. */
    static String defineWaitingWorkflow() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", """
                {"name": "%s", "version": "1.0.0", "inputs": ["lead_id"],
                 "steps": [{"name": "wait", "type": "condition", "condition": "lead_id == 'go'", "timeout_seconds": 3600}]}"""
                .formatted(name)).statusCode(201);
        return name;
    }

    static ValidatableResponse post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    static ValidatableResponse get(String token, String path) {
        return given().auth().oauth2(token).when().get(path).then();
    }

    static String startExecution(String token, String workflow, String leadId) {
        return post(token, "/api/v1/workflows/execute",
                "{\"workflow_name\": \"" + workflow + "\", \"context\": {\"lead_id\": \"" + leadId + "\"}}")
                .statusCode(202).extract().path("execution_id");
    }

    static void awaitStatus(String token, String id, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                status.equals(get(token, "/api/v1/workflows/executions/" + id).extract().path("status")));
    }

    @Test
    void storeRunAndReadAWorkflow() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0"))
                .statusCode(201).header("Location", containsString("/api/v1/workflows/" + name + "?version=1.0.0"))
                .body("name", equalTo(name)).body("is_active", equalTo(true)).body("builtin", equalTo(false))
                .body("definition.steps[0].name", equalTo("greet"));

        String id = post(OPERATOR, "/api/v1/workflows/execute",
                "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"L-7\"}}")
                .statusCode(202).header("Location", containsString("/api/v1/workflows/executions/"))
                .body("status", equalTo("running")).body("created", equalTo(true))
                .extract().path("execution_id");
        awaitStatus(READER, id, "completed");

        // The guide's shape: the execution's fields at the top level, its steps with the guide's names.
        get(READER, "/api/v1/workflows/executions/" + id).statusCode(200)
                .body("id", equalTo(id))
                .body("$", not(hasKey("summary")))
                .body("workflow_id", instanceOf(Number.class))
                .body("workflow_name", equalTo(name))
                .body("workflow_version", equalTo("1.0.0"))
                .body("status", equalTo("completed"))
                .body("trigger_type", equalTo("manual"))
                .body("tenant_id", equalTo(TENANT))
                .body("created_at", notNullValue()).body("updated_at", notNullValue()).body("completed_at", notNullValue())
                .body("context.greeting", equalTo("hello L-7"))
                .body("steps", hasSize(1))
                .body("steps[0].id", instanceOf(Number.class))
                .body("steps[0].execution_id", equalTo(id))
                .body("steps[0].step_name", equalTo("greet"))
                .body("steps[0].step_type", equalTo("transform"))
                .body("steps[0]", not(hasKey("name")))
                .body("steps[0].sequence_number", equalTo(0))
                .body("steps[0].status", equalTo("completed"))
                .body("steps[0].output_data.greeting", equalTo("hello L-7"))
                .body("steps[0].retry_count", equalTo(0))
                .body("steps[0].duration_ms", notNullValue())
                .body("steps[0].duration_seconds", notNullValue());
        get(READER, "/api/v1/workflows/executions?workflow_name=" + name).statusCode(200)
                .body("items[0].id", equalTo(id))
                .body("items[0].status", equalTo("completed"))
                .body("items[0].workflow_id", instanceOf(Number.class))
                .body("items[0].tenant_id", equalTo(TENANT))
                .body("items[0].updated_at", notNullValue());
        get(READER, "/api/v1/workflows").statusCode(200)
                .body("name", hasItem(name)).body("name", hasItem("lead_to_customer"));
        get(READER, "/api/v1/workflows/lead_to_customer").statusCode(200)
                .body("builtin", equalTo(true)).body("definition.steps.name", hasItem("wait_for_quote_acceptance"));
    }

    @Test
    void versionsAndActivation() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        post(ADMIN, "/api/v1/workflows", definition(name, "1.10.0")).statusCode(201);
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("version 1.0.0 exists"));

        // 1.10.0 is newer than 1.9 or 1.0 by its numbers, not as text.
        get(READER, "/api/v1/workflows/" + name).statusCode(200).body("version", equalTo("1.10.0"));
        post(ADMIN, "/api/v1/workflows/" + name + "/activate?version=1.0.0", "").statusCode(200).body("is_active", equalTo(true));
        get(READER, "/api/v1/workflows/" + name).statusCode(200).body("version", equalTo("1.0.0"));
        get(READER, "/api/v1/workflows?all_versions=true").statusCode(200)
                .body("findAll { it.name == '" + name + "' }.version", equalTo(List.of("1.10.0", "1.0.0")))
                .body("findAll { it.name == '" + name + "' }.is_active", equalTo(List.of(false, true)));

        post(ADMIN, "/api/v1/workflows/" + name + "/deactivate?version=1.0.0", "").statusCode(200).body("is_active", equalTo(false));
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"x\"}}")
                .statusCode(404).body("detail", containsString("no active workflow named '" + name + "'"));

        // The tenant's own version of a built-in, deactivated: the built-in runs again, and is the one shown.
        post(ADMIN, "/api/v1/workflows", definition("lead_to_customer", "99.0.0")).statusCode(201);
        get(READER, "/api/v1/workflows/lead_to_customer").statusCode(200).body("version", equalTo("99.0.0"));
        post(ADMIN, "/api/v1/workflows/lead_to_customer/deactivate?version=99.0.0", "").statusCode(200);
        get(READER, "/api/v1/workflows/lead_to_customer").statusCode(200).body("builtin", equalTo(true))
                .body("is_active", equalTo(true));
        get(READER, "/api/v1/workflows/lead_to_customer?version=99.0.0").statusCode(200).body("is_active", equalTo(false));

        post(ADMIN, "/api/v1/workflows/lead_to_customer/deactivate?version=1.6.0", "").statusCode(403)
                .body("detail", containsString("built in and shared"));
        post(ADMIN, "/api/v1/workflows/" + name + "/activate", "").statusCode(400).body("detail", containsString("version is required"));
        get(READER, "/api/v1/workflows/no_such_workflow").statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anInvalidDefinitionIsRefusedWithEveryProblemNamed() {
        post(ADMIN, "/api/v1/workflows", """
                {"name": "%s", "version": "1.0.0", "inputs": ["lead_id"],
                 "steps": [
                   {"name": "pay", "type": "service_call", "service": "billing_service", "method": "process_payment", "await_outcome": false,
                    "params": {"quote_id": "${quote.id}", "amount": "1", "currency": "EUR"}},
                   {"name": "pay", "type": "teleport"}]}""".formatted(name()))
                .statusCode(400).contentType("application/problem+json")
                .body("errors", hasItem(containsString("step 'pay' field 'params.quote_id'")))
                .body("errors", hasItem(containsString("'quote' is not an input")))
                .body("errors", hasItem(containsString("duplicate")))
                .body("errors", hasItem(containsString("teleport")));
        post(ADMIN, "/api/v1/workflows", "{\"name\": 5}").statusCode(400).contentType("application/problem+json");
        post(ADMIN, "/api/v1/workflows", "not json").statusCode(400).contentType("application/problem+json");
    }

    @Test
    void badStartRequestsAreClientErrors() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);

        post(OPERATOR, "/api/v1/workflows/execute", "{\"context\": {}}").statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("workflow_name"));
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"" + name + "\", \"context\": \"lead\"}")
                .statusCode(400).contentType("application/problem+json");
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"" + name + "\", \"context\": {\"other\": 1}}")
                .statusCode(400).body("detail", containsString("needs context [lead_id]"));
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": [1, 2]}").statusCode(400);
        post(OPERATOR, "/api/v1/workflows/execute", "{").statusCode(400).contentType("application/problem+json");
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"nope_" + name + "\"}").statusCode(404);
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"a\\u0000b\"}").statusCode(400)
                .contentType("application/problem+json");
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"x\\u0000\"}}")
                .statusCode(400).body("detail", containsString("NUL"));
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": 1e100000}}")
                .statusCode(400).contentType("application/problem+json");
        String big = "x".repeat(300 * 1024);
        post(OPERATOR, "/api/v1/workflows/execute", "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"" + big + "\"}}")
                .statusCode(413).contentType("application/problem+json").body("detail", containsString("262144"));
    }

    @Test
    void theSameIdempotencyKeyReturnsTheSameExecution() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        String body = "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"L\"}, \"idempotency_key\": \"k-" + name + "\"}";

        String first = post(OPERATOR, "/api/v1/workflows/execute", body).statusCode(202).body("created", equalTo(true)).extract().path("execution_id");
        String second = post(OPERATOR, "/api/v1/workflows/execute", body).statusCode(202).body("created", equalTo(false)).extract().path("execution_id");

        assertEquals(first, second);
        // Keys are per tenant: another tenant's same key is another execution.
        String other = post(TestTokens.token(OTHER_TENANT, "operator"), "/api/v1/workflows/execute",
                "{\"workflow_name\": \"lead_to_customer\", \"context\": {\"lead_id\": \"L\"}, \"idempotency_key\": \"k-" + name + "\"}")
                .statusCode(202).extract().path("execution_id");
        assertNotEquals(first, other);
    }

    @Test
    void listingFiltersAndPagesNewestFirst() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        List<String> ids = List.of(startExecution(OPERATOR, name, "a"), startExecution(OPERATOR, name, "b"),
                startExecution(OPERATOR, name, "c"));
        ids.forEach(id -> awaitStatus(READER, id, "completed"));

        var first = get(READER, "/api/v1/workflows/executions?workflow_name=" + name + "&status=completed&limit=2").statusCode(200)
                .body("items", hasSize(2)).body("next_cursor", notNullValue()).extract();
        List<String> page1 = first.path("items.id");
        get(READER, "/api/v1/workflows/executions?workflow_name=" + name + "&limit=2&cursor=" + first.path("next_cursor"))
                .statusCode(200).body("items", hasSize(1)).body("next_cursor", equalTo(null))
                .body("items[0].id", not(page1.get(0)));
        assertEquals(List.of(ids.get(2), ids.get(1)), page1, "newest first");
        get(READER, "/api/v1/workflows/executions?workflow_name=" + name + "&status=failed").statusCode(200).body("items", hasSize(0));
        get(READER, "/api/v1/workflows/executions?workflow_name=" + name + "&from=2000-01-01T00:00:00Z&trigger_type=manual")
                .statusCode(200).body("items", hasSize(3));

        get(READER, "/api/v1/workflows/executions?status=SLEEPING").statusCode(400).body("detail", containsString("SLEEPING"));
        get(READER, "/api/v1/workflows/executions?from=yesterday").statusCode(400).body("detail", containsString("ISO-8601"));
        get(READER, "/api/v1/workflows/executions?limit=0").statusCode(400).body("detail", containsString("limit"));
        get(READER, "/api/v1/workflows/executions?limit=500").statusCode(400).body("detail", containsString("limit"));
        get(READER, "/api/v1/workflows/executions?cursor=garbage").statusCode(400).body("detail", containsString("cursor"));
        get(READER, "/api/v1/workflows/executions?limit=abc").statusCode(400).body("detail", containsString("limit"));
        given().auth().oauth2(READER).queryParam("workflow_name", "a\u0000b").when().get("/api/v1/workflows/executions")
                .then().statusCode(400).contentType("application/problem+json");
        get(READER, "/api/v1/workflows/executions/not-a-uuid").statusCode(404);
    }

    @Test
    void cancelAndRetryAnswerForTheExecutionsState() {
        String name = defineWaitingWorkflow();
        String id = startExecution(OPERATOR, name, "wait");
        awaitStatus(READER, id, "waiting");

        post(OPERATOR, "/api/v1/workflows/executions/" + id + "/retry", "").statusCode(409)
                .body("detail", containsString("only a failed execution"));
        // Cancelled at once, unless the engine is rechecking its condition just then (every 200 ms here,
        // as %test sets it): then it stops there, and the answer is the status before.
        post(OPERATOR, "/api/v1/workflows/executions/" + id + "/cancel", "").statusCode(202)
                .body("status", anyOf(equalTo("cancelled"), equalTo("waiting")));
        awaitStatus(READER, id, "cancelled");
        post(OPERATOR, "/api/v1/workflows/executions/" + id + "/cancel", "").statusCode(409)
                .body("detail", containsString("already finished"));
        post(OPERATOR, "/api/v1/workflows/executions/" + UUID.randomUUID() + "/cancel", "").statusCode(404);
    }

    @Test
    void anotherTenantsExecutionDoesNotExistForYou() {
        String name = defineWaitingWorkflow();
        String id = startExecution(OPERATOR, name, "wait");
        String stranger = TestTokens.token(OTHER_TENANT, "admin");

        get(stranger, "/api/v1/workflows/executions/" + id).statusCode(404);
        post(stranger, "/api/v1/workflows/executions/" + id + "/cancel", "").statusCode(404);
        post(stranger, "/api/v1/workflows/executions/" + id + "/retry", "").statusCode(404);
        get(stranger, "/api/v1/workflows/executions?workflow_name=" + name).statusCode(200).body("items", hasSize(0));
        get(stranger, "/api/v1/workflows/" + name).statusCode(404);
        get(OPERATOR, "/api/v1/workflows/executions/" + id).statusCode(200);
        post(OPERATOR, "/api/v1/workflows/executions/" + id + "/cancel", "").statusCode(202);
    }

    @Test
    void aTokenWithoutTenantCanDoNothing() {
        get(TestTokens.withoutTenant("admin"), "/api/v1/workflows").statusCode(403).body("detail", containsString("tenant_id"));
    }
}
