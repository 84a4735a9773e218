package io.dotmac.common.idempotency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
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
    void theSameKeyOnAnotherPathIs422() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).post("/test/idempotent/" + marker)
                .then().statusCode(201);
        String other = UUID.randomUUID().toString();
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).post("/test/idempotent/" + other)
                .then().statusCode(422).body("detail", containsString("/test/idempotent/" + marker));
        assertEquals(0, rows(other));
    }

    @Test
    void fieldsAtTheirDefaultAreTheSameRequestAsAbsentOnes() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).contentType("application/json")
                .body("{\"marker\":\"" + marker + "\"}").post("/test/idempotent").then().statusCode(201);
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).contentType("application/json")
                .body("{\"marker\":\"" + marker + "\",\"outcome\":null}").post("/test/idempotent").then().statusCode(201)
                .header(IdempotencyService.REPLAYED_HEADER, "true");
        assertEquals(1, rows(marker));
    }

    @Test
    void aMethodThatChecksFirstStoresNothingWhenTheCheckRefuses() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        checked(key, Map.of("marker", marker, "outcome", "refused-by-check")).then().statusCode(409);
        // Nothing was stored under the key: the same key with the check passing runs.
        checked(key, Map.of("marker", marker)).then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, nullValue());
        checked(key, Map.of("marker", marker)).then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, "true");
        assertEquals(1, rows(marker));
    }

    @Test
    void theOpenApiDocumentShowsTheHeaderOnIdempotentOperations() {
        given().auth().oauth2(token).accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/test/idempotent'.post.parameters.name", hasItem(IdempotencyService.HEADER))
                .body("paths.'/test/idempotent/checked'.post.parameters.find { it.in == 'header' }.schema.maxLength",
                        equalTo(255))
                .body("paths.'/test/idempotent/{marker}'.post.parameters.name", hasItem(IdempotencyService.HEADER))
                .body("paths.'/test/idempotent/keyed'.post.parameters.findAll { it.name == 'Idempotency-Key' }.size()",
                        equalTo(1));
    }

    @Test
    void anotherQueryIsAnotherRequest() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).post("/test/idempotent/" + marker + "?page=1")
                .then().statusCode(201);
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).post("/test/idempotent/" + marker + "?page=2")
                .then().statusCode(422);
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).post("/test/idempotent/" + marker + "/?page=1")
                .then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, "true");
        assertEquals(1, rows(marker));
    }

    @Test
    void aKeyStoredBeforeTheCanonicalFormIsHonouredForItsMethodAndPath() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        // As a release before the canonical form stored it: a bare hex hash of another spelling of the body.
        pool.preparedQuery("""
                        INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_method, request_path, request_hash,
                                                      response_status, response_body, completed_at)
                        VALUES ('tenant-idem', $1, 'POST', '/test/idempotent', 'ab12', 201, '{"marker":"stored"}', now())""")
                .execute(Tuple.of(key)).await().indefinitely();
        post(key, Map.of("marker", marker)).then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, "true")
                .body("marker", equalTo("stored"));
        given().auth().oauth2(token).header(IdempotencyService.HEADER, key).post("/test/idempotent/" + marker)
                .then().statusCode(422);
        assertEquals(0, rows(marker));
    }

    @Test
    void workThatCommitsByItselfKeepsOnlyItsAnswerUnderTheKey() {
        String key = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        unlocked(key, Map.of("marker", marker, "outcome", "not-found")).then().statusCode(404);
        assertEquals(1, rows(marker), "the work committed by itself: the key held no transaction around it");
        unlocked(key, Map.of("marker", marker)).then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, nullValue());
        assertEquals(2, rows(marker), "a non-2xx answer was not kept: the key ran again");
        unlocked(key, Map.of("marker", marker)).then().statusCode(201).header(IdempotencyService.REPLAYED_HEADER, "true");
        assertEquals(2, rows(marker));
        unlocked(key, Map.of("marker", UUID.randomUUID().toString())).then().statusCode(422);
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

    private Response unlocked(String key, Map<String, String> body) {
        return postTo("/test/idempotent/unlocked", key, body);
    }

    private Response checked(String key, Map<String, String> body) {
        return postTo("/test/idempotent/checked", key, body);
    }

    private Response postTo(String path, String key, Map<String, String> body) {
        return given().auth().oauth2(token).header(IdempotencyService.HEADER, key).contentType("application/json")
                .body(body).post(path);
    }

    private long rows(String marker) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_events WHERE event_key = $1").execute(Tuple.of(marker))
                .await().indefinitely().iterator().next().getLong(0);
    }
}
