package io.dotmac.workflow.schedule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's schedule quotas hold when a definition is stored or activated: the test profile gives
 * this tenant at most one scheduled workflow, at most one start an hour.
 */
@QuarkusTest
class ScheduledQuotasTest {

    private static final String TENANT = "t-sched-quota";
    private static final String HOURLY = "0 0 * * * ?";

    @Inject
    Pool pool;

    @BeforeEach
    @AfterEach
    void noWorkflowOfTheTenantRuns() {
        pool.preparedQuery("UPDATE workflows SET is_active = false WHERE tenant_id = $1").execute(Tuple.of(TENANT))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aCronThatStartsMoreOftenThanTheTenantsMinimumIsA400() {
        store(unique("every_minute"), "1.0.0", "0 * * * * ?").statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("schedule.cron '0 * * * * ?' starts the workflow 1m apart; the tenant's schedules"
                        + " must leave at least 1h between two starts (quota min-schedule-interval)"));
        store(unique("hourly"), "1.0.0", HOURLY).statusCode(201);
    }

    @Test
    void aSecondScheduledWorkflowIsRefusedWhenStoredOrActivated() {
        String first = unique("first");
        String second = unique("second");
        store(first, "1.0.0", HOURLY).statusCode(201);
        store(first, "1.0.1", HOURLY).statusCode(201); // a new version of the same workflow: still one schedule
        store(second, "1.0.0", HOURLY).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("would pass the tenant's quota max-schedules (1): it has 1 other scheduled workflow(s)"));
        store(second, "1.0.0", null).statusCode(201);

        change(first, "1.0.1", "deactivate").statusCode(200);
        change(first, "1.0.0", "deactivate").statusCode(200);
        store(second, "1.0.1", HOURLY).statusCode(201);
        change(first, "1.0.0", "activate").statusCode(409).body("detail", containsString("max-schedules (1)"));

        // Once the second runs its version without a schedule again, the first may be scheduled.
        change(second, "1.0.1", "deactivate").statusCode(200);
        change(first, "1.0.0", "activate").statusCode(200);
    }

    private static ValidatableResponse store(String name, String version, String cron) {
        String schedule = cron == null ? "" : "\"schedule\": {\"cron\": \"" + cron + "\"},";
        return given().auth().oauth2(TestTokens.token(TENANT, "admin")).contentType(ContentType.JSON).body("""
                {"name": "%s", "version": "%s", %s
                 "steps": [{"name": "note", "type": "transform", "set": {"x": 1}}]}""".formatted(name, version, schedule))
                .when().post("/api/v1/workflows").then();
    }

    private static ValidatableResponse change(String name, String version, String action) {
        return given().auth().oauth2(TestTokens.token(TENANT, "admin")).when()
                .post("/api/v1/workflows/" + name + "/" + action + "?version=" + version).then();
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }
}
