package io.dotmac.workflow.rest;

import static io.dotmac.workflow.rest.WorkflowApiTest.ADMIN;
import static io.dotmac.workflow.rest.WorkflowApiTest.OPERATOR;
import static io.dotmac.workflow.rest.WorkflowApiTest.definition;
import static io.dotmac.workflow.rest.WorkflowApiTest.get;
import static io.dotmac.workflow.rest.WorkflowApiTest.name;
import static io.dotmac.workflow.rest.WorkflowApiTest.post;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guide's WORKFLOW_ENGINE_ENABLED=false: this replica records starts and drives none of them. */
@QuarkusTest
@TestProfile(ApiOnlyReplicaTest.EngineOff.class)
class ApiOnlyReplicaTest {

    public static class EngineOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workflow.engine-enabled", "false");
        }
    }

    @Test
    void aStartIsRecordedAndLeftForTheReplicasThatDrive() throws InterruptedException {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);

        String id = post(OPERATOR, "/api/v1/workflows/execute?wait=300ms",
                "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"L-1\"}}")
                .statusCode(202).body("created", equalTo(true)).extract().path("execution_id");

        // Five of the test profile's claim intervals (200 ms): an engine that was on would have run it.
        Thread.sleep(1000);
        get(OPERATOR, "/api/v1/workflows/executions/" + id).statusCode(200)
                .body("status", equalTo("pending"))
                .body("steps", empty());
    }
}
