package io.dotmac.workflow.rest;

import static io.dotmac.workflow.rest.WorkflowApiTest.ADMIN;
import static io.dotmac.workflow.rest.WorkflowApiTest.OPERATOR;
import static io.dotmac.workflow.rest.WorkflowApiTest.definition;
import static io.dotmac.workflow.rest.WorkflowApiTest.get;
import static io.dotmac.workflow.rest.WorkflowApiTest.name;
import static io.dotmac.workflow.rest.WorkflowApiTest.post;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The guide's WORKFLOW_ENGINE_ENABLED=false: this replica records starts and drives none of them.
 * Its executions stay pending, so a start that waits for one waits its whole time.
 */
@QuarkusTest
@TestProfile(ApiOnlyReplicaTest.EngineOff.class)
class ApiOnlyReplicaTest {

    public static class EngineOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("workflow.engine-enabled", "false", "workflow.execute.max-waiting-per-tenant", "1");
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

    @Test
    void oneTenantCannotTakeEveryPlaceToWait() throws Exception {
        String name = name();
        post(ADMIN, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        String otherTenant = TestTokens.token("waiting-" + UUID.randomUUID().toString().substring(0, 6), "admin", "operator");
        post(otherTenant, "/api/v1/workflows", definition(name, "1.0.0")).statusCode(201);
        String start = "{\"workflow_name\": \"" + name + "\", \"context\": {\"lead_id\": \"L-1\"}}";
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            // The tenant's one place to wait, taken for three seconds.
            Future<Instant> first = callers.submit(() -> {
                post(OPERATOR, "/api/v1/workflows/execute?wait=3s", start).statusCode(202);
                return Instant.now();
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> get(OPERATOR, "/api/v1/workflows/executions?workflow_name=" + name)
                    .extract().<List<?>>path("items").size() == 1);

            // Its next start is answered without waiting; another tenant still waits its whole second.
            post(OPERATOR, "/api/v1/workflows/execute?wait=3s", start).statusCode(202).body("status", equalTo("pending"));
            Instant answeredAtOnce = Instant.now();
            Future<Instant> other = callers.submit(() -> {
                post(otherTenant, "/api/v1/workflows/execute?wait=1s", start).statusCode(202);
                return Instant.now();
            });

            assertTrue(answeredAtOnce.isBefore(first.get(10, TimeUnit.SECONDS)), "answered before the waiting one");
            assertTrue(other.get(10, TimeUnit.SECONDS).isAfter(answeredAtOnce), "the other tenant waited");
        } finally {
            callers.shutdownNow();
        }
    }
}
