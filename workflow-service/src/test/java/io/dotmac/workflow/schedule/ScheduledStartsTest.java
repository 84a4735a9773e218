package io.dotmac.workflow.schedule;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A cron schedule starts its workflow at each due time, once, however many replicas look. */
@QuarkusTest
class ScheduledStartsTest {

    @Inject
    ScheduledStarts schedules;

    @Inject
    Pool pool;

    @Test
    void eachDueTimeStartsOneExecutionEvenWhenReplicasRace() {
        String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "every_second_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        given().auth().oauth2(TestTokens.token(tenant, "admin")).contentType(ContentType.JSON).body("""
                {"name": "%s", "version": "1.0.0", "inputs": ["due"],
                 "schedule": {"cron": "* * * * * ?", "context": {"due": "${schedule.due_at}"}},
                 "steps": [{"name": "note", "type": "transform", "set": {"noted": "ran for ${due}"}}]}""".formatted(name))
                .when().post("/api/v1/workflows").then().statusCode(201);

        try {
            // Three "replicas" look at once, several times.
            for (int i = 0; i < 3; i++) {
                Uni.join().all(schedules.tick(), schedules.tick(), schedules.tick()).andFailFast().await().atMost(Duration.ofSeconds(10));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> count(name, "completed") >= 2);
        } finally {
            // An every-second schedule must not outlive its test.
            given().auth().oauth2(TestTokens.token(tenant, "admin")).when()
                    .post("/api/v1/workflows/" + name + "/deactivate?version=1.0.0").then().statusCode(200);
        }

        List<Long> perDueTime = pool.preparedQuery("""
                SELECT count(*) FROM workflow_executions WHERE workflow_name = $1 GROUP BY idempotency_key""")
                .execute(Tuple.of(name)).await().atMost(Duration.ofSeconds(10)).stream().map(r -> r.getLong(0)).toList();
        assertTrue(perDueTime.stream().allMatch(n -> n == 1), "one execution per due time: " + perDueTime);
        var row = pool.preparedQuery("""
                SELECT trigger_type, tenant_id, context->>'noted' FROM workflow_executions WHERE workflow_name = $1 LIMIT 1""")
                .execute(Tuple.of(name)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals("scheduled", row.getString(0));
        assertEquals(tenant, row.getString(1));
        assertTrue(row.getString(2).startsWith("ran for 20"), row.getString(2));
    }

    @Test
    void aBadCronIsRefusedWhenTheDefinitionIsStored() {
        given().auth().oauth2(TestTokens.token("t-cron", "admin")).contentType(ContentType.JSON).body("""
                {"name": "bad_cron", "version": "1.0.0",
                 "schedule": {"cron": "every day at six"},
                 "steps": [{"name": "a", "type": "transform", "set": {"x": 1}}]}""")
                .when().post("/api/v1/workflows").then().statusCode(400)
                .body("errors[0]", containsString("field 'schedule.cron'"));
    }

    private long count(String name, String status) {
        return pool.preparedQuery("SELECT count(*) FROM workflow_executions WHERE workflow_name = $1 AND status = $2")
                .execute(Tuple.of(name, status)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
