package io.dotmac.workflow.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.dotmac.common.rest.Problem;
import io.dotmac.common.testing.ClasspathFiles;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar; with -Pnative, the binary): healthy, and the bodies that reach
 * Jackson as plain Objects come out whole, a stored definition (201), an execution accepted (202,
 * ExecutionAccepted) and a refusal's problem (4xx), as well as a read. The downstream services are
 * the stub the engine's tests use; the engine signs its service tokens with the test key, given as a file.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(DownstreamStub.class)
@QuarkusTestResource(value = ClasspathFiles.class, initArgs = {
        @ResourceArg(name = "workflow.service-token.key-location", value = "jwt/test-engine-private.pem")})
class WorkflowServiceIT {

    static final String TENANT = "it-" + UUID.randomUUID();
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void storesStartsReadsAndRefusesWithAProblem() {
        String name = WorkflowApiTest.name();
        WorkflowApiTest.post(ADMIN, "/api/v1/workflows", WorkflowApiTest.definition(name, "1.0.0"))
                .statusCode(201).body("name", equalTo(name)).body("definition.steps[0].name", equalTo("greet"));

        String id = WorkflowApiTest.post(OPERATOR, "/api/v1/workflows/execute",
                        "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"L-1\"}}")
                .statusCode(202).header("Location", containsString("/api/v1/workflows/executions/"))
                .body("execution_id", notNullValue()).body("status", notNullValue()).body("created", equalTo(true))
                .extract().path("execution_id");
        WorkflowApiTest.get(READER, "/api/v1/workflows/executions/" + id)
                .statusCode(200).body("id", equalTo(id)).body("workflow_name", equalTo(name)).body("tenant_id", equalTo(TENANT));

        WorkflowApiTest.post(OPERATOR, "/api/v1/workflows/execute",
                        "{\"workflow_name\": \"" + name + "\", \"context\": {\"other\": 1}}")
                .statusCode(400).contentType(Problem.MEDIA_TYPE).body("status", equalTo(400))
                .body("detail", containsString("needs context [lead_id]"));
    }
}
