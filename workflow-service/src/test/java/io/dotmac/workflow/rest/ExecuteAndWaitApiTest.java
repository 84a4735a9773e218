package io.dotmac.workflow.rest;

import static io.dotmac.workflow.rest.WorkflowApiTest.ADMIN;
import static io.dotmac.workflow.rest.WorkflowApiTest.OPERATOR;
import static io.dotmac.workflow.rest.WorkflowApiTest.definition;
import static io.dotmac.workflow.rest.WorkflowApiTest.defineWaitingWorkflow;
import static io.dotmac.workflow.rest.WorkflowApiTest.name;
import static io.dotmac.workflow.rest.WorkflowApiTest.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The guide's manual trigger answers with the finished execution when asked to wait: {@code ?wait=}. */
@QuarkusTest
class ExecuteAndWaitApiTest {

    private static ValidatableResponse execute(String workflow, String wait, String idempotencyKey) {
        return post(OPERATOR, "/api/v1/workflows/execute?wait=" + wait, """
                {"workflow_name": "%s", "context": {"lead_id": "L-1"}, "idempotency_key": "%s"}"""
                .formatted(workflow, idempotencyKey));
    }

    @Test
    void aShortWorkflowIsAnsweredFinished() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);

        var answer = execute(name, "10s", UUID.randomUUID().toString()).statusCode(200)
                .body("status", equalTo("completed"))
                .body("steps", hasSize(1))
                .body("steps[0].status", equalTo("completed"))
                .body("context.greeting", equalTo("hello L-1"))
                .extract();
        assertTrue(answer.header("Location").endsWith("/api/v1/workflows/executions/" + answer.path("id")),
                answer.header("Location"));
    }

    @Test
    void aWorkflowThatWaitsForTheCustomerIsAnsweredWaiting() {
        execute(defineWaitingWorkflow(), "10s", UUID.randomUUID().toString()).statusCode(200)
                .body("status", equalTo("waiting"));
    }

    @Test
    void aWaitThatIsNoDurationOrTooLongIsRefusedBeforeAnythingStarts() {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        String key = UUID.randomUUID().toString();

        execute(name, "soon", key).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("is not a duration such as 30s"));
        execute(name, "61s", key).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("longer than this API waits (at most 60s)"));
        execute(name, "999999999999m", key).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("longer than this API waits"));

        // Nothing was started by the refused requests: the key is still free.
        execute(name, "0s", key).statusCode(202).body("created", equalTo(true));
    }
}
