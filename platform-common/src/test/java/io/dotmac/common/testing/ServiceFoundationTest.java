package io.dotmac.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.quarkus.test.hibernate.reactive.panache.TransactionalUniAsserter;
import io.quarkus.test.vertx.RunOnVertxContext;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every service must do on boot, checked against the real PostgreSQL and Kafka of
 * deploy/local: its migrations ran on its own database, health is UP with the database (and Kafka
 * where the service uses it) among the checks, metrics and OpenAPI are served, and errors are
 * problem+json. Each service runs it through a {@code @QuarkusTest} subclass.
 */
public abstract class ServiceFoundationTest {

    @Inject
    OutboxEventRepository outbox;

    /** Readiness checks this service reports besides the database's (Kafka, say); none by default. */
    protected String[] extraReadinessChecks() {
        return new String[0];
    }

    @Test
    @RunOnVertxContext
    // TransactionalUniAsserter rolls the transaction back at the end: the test leaves no row.
    void sharedSchemaIsMigratedOnTheServiceDatabase(TransactionalUniAsserter asserter) {
        String key = UUID.randomUUID().toString();
        // Written through the entity, read back with SQL: the mapping and the migrated columns agree.
        asserter.execute(() -> outbox.persistAndFlush(OutboxEvent.of("foundation.test", key, "foundation.checked", "tenant-a",
                Map.of("amount", "12.50", "items", List.of("a", "b")))));
        asserter.assertThat(() -> outbox.getSession().chain(s -> s.createNativeQuery("""
                        SELECT topic, payload->>'amount', payload->'items'->>1, created_at IS NOT NULL, published_at IS NULL
                        FROM outbox_events WHERE event_key = :key""", Object[].class)
                        .setParameter("key", key).getSingleResult()),
                row -> assertArrayEquals(new Object[] {"foundation.test", "12.50", "b", true, true}, row));
    }

    @Test
    void readinessIsUpWithItsChecks() {
        var response = given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
        for (String check : extraReadinessChecks()) {
            response.body("checks.name", hasItem(check));
        }
    }

    @Test
    void metricsAreOpenAndOpenApiNeedsAToken() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().auth().oauth2(TestTokens.token("tenant-a", "reader")).accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).body("openapi", containsString("3."));
        given().accept("application/json").when().get("/q/openapi").then().statusCode(401);
    }

    @Test
    void unknownPathIsProblemJson() {
        given().when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("instance", equalTo("/api/v1/no-such-thing"));
    }
}
