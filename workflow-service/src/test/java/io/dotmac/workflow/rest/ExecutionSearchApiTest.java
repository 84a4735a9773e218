package io.dotmac.workflow.rest;

import static io.dotmac.workflow.rest.WorkflowApiTest.awaitStatus;
import static io.dotmac.workflow.rest.WorkflowApiTest.get;
import static io.dotmac.workflow.rest.WorkflowApiTest.name;
import static io.dotmac.workflow.rest.WorkflowApiTest.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the operator console reads from the executions API beyond the basics: the search by
 * business key (?key=), the business keys of each execution, and what a waiting one waits for.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class ExecutionSearchApiTest {

    static final String TENANT = "search-" + UUID.randomUUID().toString().substring(0, 6);
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A workflow whose transform puts a quote (with id, number, email and status) into the context, as a service result would. */
    static String defineQuoteWorkflow(String token) {
        String name = name();
        post(token, "/api/v1/workflows", """
                {"name": "%s", "version": "1.0.0", "inputs": ["lead_id", "customer_email"],
                 "steps": [{"name": "quote", "type": "transform", "set": {
                    "quote": {"id": "Q-${lead_id}", "quote_number": "N-${lead_id}", "customer_email": "${customer_email}",
                              "status": "S-${lead_id}"}}}]}""".formatted(name)).statusCode(201);
        return name;
    }

    static String start(String token, String workflow, String leadId, String email) {
        return post(token, "/api/v1/workflows/execute", """
                {"workflow_name": "%s", "context": {"lead_id": "%s", "customer_email": "%s"}}""".formatted(workflow, leadId, email))
                .statusCode(202).extract().path("execution_id");
    }

    static String search(String key) {
        return "/api/v1/workflows/executions?key=" + key;
    }

    @Test
    void aBusinessKeyFindsTheExecutionsThatCarryIt() {
        String workflow = defineQuoteWorkflow(ADMIN);
        String lead = unique("L");
        String email = unique("ann") + "@Example.com";
        String mine = start(OPERATOR, workflow, lead, email);
        String other = start(OPERATOR, workflow, unique("L"), unique("bob") + "@example.com");
        awaitStatus(READER, mine, "completed");
        awaitStatus(READER, other, "completed");

        // An input (top-level), whatever its case.
        get(READER, search(lead)).statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(mine)).body("next_cursor", nullValue())
                .body("items[0].business_keys.lead_id", equalTo(lead))
                .body("items[0].business_keys.customer_email", equalTo(email))
                .body("items[0].business_keys", not(hasKey("quote")));
        get(READER, search(lead.toLowerCase())).statusCode(200).body("items.id", equalTo(List.of(mine)));
        get(READER, search(email.toUpperCase())).statusCode(200).body("items.id", equalTo(List.of(mine)));
        // The id, number and email of a result in the context; not its other fields.
        get(READER, search("q-" + lead.toLowerCase())).statusCode(200).body("items.id", equalTo(List.of(mine)));
        get(READER, search("N-" + lead)).statusCode(200).body("items.id", equalTo(List.of(mine)));
        get(READER, search("S-" + lead)).statusCode(200).body("items", hasSize(0));
        // With the other filters.
        get(READER, search(lead) + "&workflow_name=" + workflow + "&status=completed").statusCode(200)
                .body("items.id", equalTo(List.of(mine)));
        get(READER, search(lead) + "&status=failed").statusCode(200).body("items", hasSize(0));
        get(READER, search(lead) + "&workflow_name=" + name()).statusCode(200).body("items", hasSize(0));
        // Blank is no filter.
        given().auth().oauth2(READER).queryParam("key", " ").queryParam("workflow_name", workflow)
                .when().get("/api/v1/workflows/executions").then().statusCode(200).body("items", hasSize(2));
    }

    @Test
    void aKeyIsSearchedWithinTheCallersTenantOnly() {
        String lead = unique("L");
        String mine = start(OPERATOR, defineQuoteWorkflow(ADMIN), lead, "a@example.com");
        String strangerTenant = "stranger-" + UUID.randomUUID().toString().substring(0, 6);
        String strangerAdmin = TestTokens.token(strangerTenant, "admin");
        String theirs = start(strangerAdmin, defineQuoteWorkflow(strangerAdmin), lead, "a@example.com");

        get(READER, search(lead)).statusCode(200).body("items.id", equalTo(List.of(mine)));
        get(strangerAdmin, search(lead)).statusCode(200).body("items.id", equalTo(List.of(theirs)));
    }

    @Test
    void aKeySearchPagesNewestFirst() {
        String workflow = defineQuoteWorkflow(ADMIN);
        String lead = unique("L");
        List<String> ids = List.of(start(OPERATOR, workflow, lead, "p@example.com"), start(OPERATOR, workflow, lead, "p@example.com"),
                start(OPERATOR, workflow, lead, "p@example.com"));

        var first = get(READER, search(lead) + "&limit=2").statusCode(200)
                .body("items", hasSize(2)).body("next_cursor", notNullValue()).extract();
        assertEquals(List.of(ids.get(2), ids.get(1)), first.path("items.id"));
        get(READER, search(lead) + "&limit=2&cursor=" + first.path("next_cursor")).statusCode(200)
                .body("items.id", equalTo(List.of(ids.get(0)))).body("next_cursor", nullValue());
    }

    @Test
    void longValuesAreNotKeysAndDoNotHinderAnExecution() {
        String workflow = defineQuoteWorkflow(ADMIN);
        // Far past what an index entry holds: the execution must still be stored and run.
        String long5000 = "x".repeat(5000) + unique("L");
        String id = start(OPERATOR, workflow, long5000, "long@example.com");
        awaitStatus(READER, id, "completed");
        get(READER, "/api/v1/workflows/executions/" + id).statusCode(200)
                .body("business_keys", not(hasKey("lead_id")))
                .body("business_keys.customer_email", equalTo("long@example.com"));

        get(READER, search("k".repeat(201))).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("at most 200"));
        given().auth().oauth2(READER).queryParam("key", "a\u0000b").when().get("/api/v1/workflows/executions")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aWaitingExecutionSaysWhatItWaitsForAndUntilWhen() {
        String workflow = name();
        post(ADMIN, "/api/v1/workflows", """
                {"name": "%s", "version": "1.0.0", "inputs": ["lead_id"],
                 "steps": [{"name": "wait", "type": "condition", "condition": "lead_id == 'go'", "timeout_seconds": 3600,
                            "wake_on": {"event": "crm.quote.accepted", "key": "${lead_id}"}}]}""".formatted(workflow))
                .statusCode(201);
        String lead = unique("W");
        String id = post(OPERATOR, "/api/v1/workflows/execute",
                "{\"workflow_name\": \"" + workflow + "\", \"context\": {\"lead_id\": \"" + lead + "\"}}")
                .statusCode(202).extract().path("execution_id");
        awaitStatus(READER, id, "waiting");

        var item = get(READER, search(lead)).statusCode(200).body("items", hasSize(1))
                .body("items[0].status", equalTo("waiting"))
                .body("items[0].wait_event", equalTo("crm.quote.accepted"))
                .body("items[0].wait_key", equalTo(lead))
                .body("items[0].waiting_since", notNullValue())
                .body("items[0].wait_until", notNullValue())
                .extract();
        OffsetDateTime since = OffsetDateTime.parse(item.path("items[0].waiting_since"));
        OffsetDateTime until = OffsetDateTime.parse(item.path("items[0].wait_until"));
        assertEquals(Duration.ofHours(1).toSeconds(), Duration.between(since, until).toSeconds(), 2.0);
        get(READER, "/api/v1/workflows/executions/" + id).statusCode(200)
                .body("wait_event", equalTo("crm.quote.accepted"))
                .body("wait_until", equalTo(item.path("items[0].wait_until")))
                .body("steps[0].status", equalTo("waiting"))
                .body("steps[0].wait_until", notNullValue());

        post(OPERATOR, "/api/v1/workflows/executions/" + id + "/cancel", "").statusCode(202);
        awaitStatus(READER, id, "cancelled");
        // What it waited for is history now: only a waiting execution says it.
        get(READER, "/api/v1/workflows/executions/" + id).statusCode(200)
                .body("wait_event", nullValue()).body("wait_key", nullValue())
                .body("waiting_since", nullValue()).body("wait_until", nullValue());
    }
}
