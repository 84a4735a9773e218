package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client and an operator following the product's original guide
 * ({@code ../shared/seed/000_638392635906330a.txt}, "Day 5: Built-in Workflows" and "Monitoring &
 * Debugging"), unchanged where we can: its two workflow definitions, stored from
 * {@code docs/from-the-guide/} (its Python dictionaries printed as JSON), {@code lead_to_customer}
 * 1.0.0 run for a lead to {@code completed} through the public APIs, then its debugging commands —
 * the {@code curl}s of the list, the execution and the manual trigger, with a token, and its
 * {@code psql} queries on the workflow database. What differs on purpose (UUID ids, the token) is in
 * {@code docs/from-the-guide.md}.
 */
@ExtendWith(SuiteExtension.class)
class SeedCompatibilityIT {

    /** What the guide's lead_to_customer becomes: its steps, and the payment's outcome waited for after process_payment. */
    static final List<String> STEPS = List.of("qualify_lead", "generate_quote", "wait_for_quote_acceptance", "process_payment",
            "send_payment_link", "wait_for_payment", "payment_received", "issue_license", "create_order", "process_order",
            "send_welcome");
    static final List<String> GUIDE_STEP_FIELDS = List.of("id", "execution_id", "step_name", "step_type", "sequence_number",
            "status", "input_data", "output_data", "error_message", "retry_count", "started_at", "completed_at",
            "duration_seconds");
    static final List<String> GUIDE_EXECUTION_FIELDS = List.of("id", "workflow_id", "status", "context", "result",
            "error_message", "started_at", "completed_at", "trigger_type", "trigger_source", "tenant_id", "created_at",
            "updated_at");

    private static String guide(Suite suite, String name) throws IOException {
        return Files.readString(suite.root().resolve("docs/from-the-guide/" + name + ".json"), StandardCharsets.UTF_8);
    }

    @Test
    void theGuidesWorkflowsRunAsPrintedAndItsDebuggingCommandsAnswer(Suite suite) throws Exception {
        String tenant = suite.newTenant("guide");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);

        // Day 5: the two built-in workflows as the guide prints them, stored as the tenant's own.
        for (String name : List.of("lead_to_customer", "quote_accepted")) {
            api.to(Service.WORKFLOW).body(guide(suite, name)).post("/api/v1/workflows").then().statusCode(201)
                    .body("name", equalTo(name)).body("version", equalTo("1.0.0")).body("is_active", equalTo(true));
        }

        // Stored as it runs: what the parser filled in is written out.
        api.to(Service.WORKFLOW).get("/api/v1/workflows/lead_to_customer").then().statusCode(200)
                .body("version", equalTo("1.0.0")).body("definition.steps.name", equalTo(STEPS))
                .body("definition.inputs", equalTo(List.of("lead_id")));

        // A lead (anyone but manual., pending. or declined. pays on the Checkout page the email links to).
        Onboarding.Lead lead = onboarding.create("guide");
        // The guide's manual trigger, for its lead_to_customer: it waits for the quote's acceptance, so 202 at once.
        String executionId = api.to(Service.WORKFLOW)
                .body(Map.of("workflow_name", "lead_to_customer", "context", Map.of("lead_id", lead.leadId())))
                .post("/api/v1/workflows/execute").then().statusCode(202).extract().path("execution_id");

        // Qualified and quoted; the condition waits, woken by the quote's acceptance though the guide names no event.
        JsonPath waiting = workflows.awaitStatus(executionId, Duration.ofSeconds(60), "waiting");
        assertAll("waiting for the quote\n" + Workflows.describe(waiting),
                () -> assertEquals("1.0.0", waiting.getString("workflow_version")),
                () -> assertEquals("crm.quote.accepted", waiting.getString("wait_event")),
                () -> assertEquals(waiting.getString("context.quote.id"), waiting.getString("wait_key")),
                () -> assertEquals(lead.slug(), waiting.getString("context.lead.customer_id")));
        String quoteId = waiting.getString("context.quote.id");
        JsonPath quote = api.to(Service.CRM).get("/api/v1/crm/quotes/{id}", quoteId).then().statusCode(200).extract().jsonPath();
        onboarding.accept(new Onboarding.Customer(lead, quoteId, quote.getString("quote_number"), quote.getList("items")));

        JsonPath done = workflows.awaitStatus(executionId, Duration.ofSeconds(120), "completed");
        String report = Workflows.describe(done);
        List<Map<String, Object>> steps = done.getList("steps");
        assertEquals(STEPS, steps.stream().map(step -> step.get("step_name")).toList(), report);
        for (Map<String, Object> step : steps) {
            assertEquals("completed", step.get("status"), step.get("step_name") + "\n" + report);
            assertTrue(step.keySet().containsAll(GUIDE_STEP_FIELDS), "the guide's step fields: " + step.keySet());
            assertEquals(executionId, step.get("execution_id"));
        }
        Map<String, Object> license = stepNamed(done, "issue_license");
        assertEquals(Map.of("customer_id", lead.slug(), "products", quote.getList("items"), "source_id", quoteId),
                license.get("input_data"), "customer_id from the lead, source_id from the quote");

        // What the journey did: one active order, a license per item, the welcome email.
        JsonPath order = api.to(Service.SALES).get("/api/v1/sales/orders/{id}", done.getString("context.order.id"))
                .then().statusCode(200).body("status", equalTo("active")).extract().jsonPath();
        assertEquals(quoteId, order.getString("quote_id"));
        int licenses = api.to(Service.LICENSING).queryParam("customer_id", lead.slug()).get("/api/v1/licenses")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
        assertEquals(quote.getList("items").size(), licenses, "a license per quote item");
        // The customer got the payment's link (the guide names no such step: process_payment's outcome brings it) and the welcome.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                api.to(Service.NOTIFICATION).queryParam("recipient", lead.email()).get("/api/v1/notifications").then()
                        .statusCode(200).body("total", equalTo(2)).body("items.status", equalTo(List.of("sent", "sent")))
                        .body("items[0].kind", startsWith("welcome")).body("items[1].kind", equalTo("payment_request")));

        // curl http://localhost:8000/api/v1/workflows — with a token here; without one, 401.
        api.anonymous(Service.WORKFLOW).get("/api/v1/workflows").then().statusCode(401);
        api.to(Service.WORKFLOW).get("/api/v1/workflows").then().statusCode(200)
                .body("findAll { it.name == 'lead_to_customer' }.version", hasItem("1.0.0"))
                .body("findAll { it.name == 'quote_accepted' }.version", hasItem("1.0.0"));

        // curl http://localhost:8000/api/v1/workflows/executions/<id>: the guide's model at the top level.
        Map<String, Object> execution = api.to(Service.WORKFLOW).get("/api/v1/workflows/executions/{id}", executionId)
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertTrue(execution.keySet().containsAll(GUIDE_EXECUTION_FIELDS), "the guide's execution fields: " + execution.keySet());
        assertAll("execution " + executionId,
                () -> assertEquals("completed", execution.get("status")),
                () -> assertEquals("manual", execution.get("trigger_type")),
                () -> assertEquals(tenant, execution.get("tenant_id")),
                () -> assertNull(execution.get("error_message")),
                () -> assertTrue(execution.get("workflow_id") instanceof Number, "workflow_id " + execution.get("workflow_id")),
                () -> assertNotNull(execution.get("completed_at")));

        // The manual trigger with its quote_accepted for the same quote, waiting for the answer as the guide's did:
        // the same order, found and left active.
        JsonPath accepted = api.to(Service.WORKFLOW).queryParam("wait", "30s")
                .body(Map.of("workflow_name", "quote_accepted", "context", Map.of("quote_id", quoteId)))
                .post("/api/v1/workflows/execute").then().statusCode(200).extract().jsonPath();
        assertEquals("completed", accepted.getString("status"), Workflows.describe(accepted));
        assertEquals(order.getString("id"), accepted.getString("context.order.id"), "one order per quote");

        // A journey that fails (a lead crm does not know), for the guide's "failed workflows" query.
        String failedId = api.to(Service.WORKFLOW).queryParam("wait", "30s")
                .body(Map.of("workflow_name", "lead_to_customer", "context", Map.of("lead_id", UUID.randomUUID().toString())))
                .post("/api/v1/workflows/execute").then().statusCode(200).body("status", equalTo("failed"))
                .extract().path("id");

        // psql -d dotmac -c "..." — on the workflow database; its ids are UUIDs, not 1.
        String recent = suite.psql(Service.WORKFLOW, "SELECT * FROM workflow_executions ORDER BY created_at DESC LIMIT 10;");
        assertTrue(recent.contains(failedId), recent);
        String stepRows = suite.psql(Service.WORKFLOW, "SELECT * FROM workflow_steps WHERE execution_id = '" + executionId + "';");
        assertTrue(stepRows.contains("(" + STEPS.size() + " rows)"), stepRows);
        assertTrue(Arrays.stream(stepRows.split("\n")).anyMatch(line -> line.contains("process_order") && line.contains("completed")),
                stepRows);
        String failed = suite.psql(Service.WORKFLOW, "SELECT * FROM workflow_executions WHERE status = 'failed';");
        assertTrue(failed.contains(failedId), failed);
        assertFalse(failed.contains(executionId), "the completed journey is not among the failed ones:\n" + failed);
    }

    private static Map<String, Object> stepNamed(JsonPath detail, String name) {
        return detail.<Map<String, Object>>getList("steps").stream().filter(step -> name.equals(step.get("step_name")))
                .findFirst().orElseThrow(() -> new AssertionError("no step " + name + "\n" + Workflows.describe(detail)));
    }
}
