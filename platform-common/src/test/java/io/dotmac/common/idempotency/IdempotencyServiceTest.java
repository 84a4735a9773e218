package io.dotmac.common.idempotency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Idempotency-Key against the real database: what runs, what is stored, what is replayed. */
@QuarkusTest
class IdempotencyServiceTest {

    @Inject
    Pool pool;

    private final String token = TestTokens.token("tenant-idem", "operator");

    @Test
    void sameKeyReplaysTheFirstResponseAndWritesOnce() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        Response first = post(key, Map.of("marker", marker));
        first.then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, nullValue());
        Response again = post(key, Map.of("marker", marker));
        again.then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, "true")
                .body("event_id", equalTo(first.path("event_id")))
                .body("marker", equalTo(marker));
        assertEquals(1, rows(marker));
    }

    @Test
    void sameKeyWithAnotherBodyIs422AndWritesNothing() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        post(key, Map.of("marker", marker)).then().statusCode(201);
        String other = UUID.randomUUID().toString();
        post(key, Map.of("marker", other)).then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString(key));
        assertEquals(0, rows(other));
    }

    @Test
    void theSameBodyInAnotherKeyOrderIsTheSameRequest() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).contentType("application/json")
                .body("{\"marker\":\"" + marker + "\",\"outcome\":\"created\"}").post("/test/idempotent").then().statusCode(201);
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).contentType("application/json")
                .body("{\"outcome\":\"created\",\"marker\":\"" + marker + "\"}").post("/test/idempotent").then().statusCode(201)
                .header(IdempotencyService.REPLAYED_HEADER, "true");
        assertEquals(1, rows(marker));
    }

    @Test
    void aFailureStoresNothingSoTheKeyCanBeRetried() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        post(key, Map.of("marker", marker, "outcome", "conflict")).then().statusCode(409);
        assertEquals(0, rows(marker), "the write made before the failure was rolled back");
        // A non-2xx answer that is not an exception is not stored either.
        post(key, Map.of("marker", marker, "outcome", "not-found")).then().statusCode(404);
        assertEquals(0, rows(marker));
        post(key, Map.of("marker", marker)).then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, nullValue());
        assertEquals(1, rows(marker));
    }

    @Test
    void keysAreScopedByTenant() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        post(key, Map.of("marker", marker)).then().statusCode(201);
        given().auth().oauth2(TestTokens.token("tenant-other", "operator")).header(IdempotencyService.HEADER, key)
                .contentType("application/json").body(Map.of("marker", marker)).post("/test/idempotent")
                .then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, nullValue());
        assertEquals(2, rows(marker));
    }

    @Test
    void concurrentRequestsWithOneKeyWriteOnce() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        List<CompletableFuture<Response>> requests = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(key, Map.of("marker", marker)))).toList();
        List<String> ids = requests.stream().map(CompletableFuture::join)
                .peek(response -> response.then().statusCode(201)).map(response -> response.<String>path("event_id")).distinct().toList();
        assertEquals(1, ids.size(), "every request got the one response: " + ids);
        assertEquals(1, rows(marker));
    }

    @Test
    void withoutAKeyEveryRequestRuns() {
        String marker = UUID.randomUUID().toString();
        post(null, Map.of("marker", marker, "outcome", "accepted")).then().statusCode(202);
        post(null, Map.of("marker", marker, "outcome", "accepted")).then().statusCode(202);
        assertEquals(2, rows(marker));
    }

    @Test
    void anOverlongKeyIs400() {
        post("k".repeat(256), Map.of("marker", "x")).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("Idempotency-Key"));
    }

    private Response post(String key, Map<String, String> body) {
        var request = given().auth().oauth2(token).contentType("application/json").body(body);
        if (key != null) {
            request.header(IdempotencyService.HEADER, key);
        }
        return request.post("/test/idempotent");
    }

    private long rows(String marker) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_events WHERE event_key = $1").execute(Tuple.of(marker))
                .await().indefinitely().iterator().next().getLong(0);
    }
}
