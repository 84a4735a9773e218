package io.dotmac.sales.provisioning;

import static io.dotmac.sales.testing.SalesApi.ORDERS;
import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.createFromQuote;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An order submit that finds the bulkhead full and its queue too is refused with 503 problem+json
 * and {@code Retry-After}, and succeeds when sent again; the one that waited runs after the one
 * ahead. With this profile's pool of two connections one submit is admitted at a time and one may
 * wait; a row lock taken by the test (on the other connection) keeps the admitted one busy for as
 * long as the test needs.
 */
@QuarkusTest
@TestProfile(OrderAdmissionTest.OneWaiting.class)
@QuarkusTestResource(PeerServicesStub.class)
class OrderAdmissionTest {

    public static class OneWaiting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sales.provisioning.max-waiting", "1", "quarkus.datasource.reactive.max-size", "2");
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    final String token = TestTokens.engine("sales-" + UUID.randomUUID().toString().substring(0, 8));

    @Inject
    Pool database;

    private String draftOrder() {
        Map<String, Object> quote = TestQuotes.accepted(TestQuotes.slug());
        PeerServicesStub.serve(quote);
        PeerServicesStub.paid(quote);
        return createFromQuote(token, (String) quote.get("id")).statusCode(201).extract().path("id");
    }

    private ValidatableResponse submit(String id) {
        return as(token).header("Idempotency-Key", "exec-" + id + ":submit_order").contentType(ContentType.JSON)
                .body("{\"auto_activate\": true}").when().post(ORDERS + "/" + id + "/submit").then();
    }

    private static double bulkhead(String gauge) {
        return Metrics.value("ft_bulkhead_" + gauge, "method=\"order submit and process\"");
    }

    @Test
    void aSubmitBeyondTheBulkheadAndItsQueueIs503WithRetryAfterAndSucceedsWhenSentAgain() {
        String running = draftOrder();
        String waiting = draftOrder();
        String refused = draftOrder();

        SqlConnection connection = database.getConnection().await().atMost(PATIENCE);
        CompletableFuture<ExtractableResponse<Response>> first;
        CompletableFuture<ExtractableResponse<Response>> second;
        try {
            Transaction lock = connection.begin().await().atMost(PATIENCE);
            connection.preparedQuery("SELECT id FROM orders WHERE id = $1 FOR UPDATE")
                    .execute(Tuple.of(UUID.fromString(running))).await().atMost(PATIENCE);
            first = CompletableFuture.supplyAsync(() -> submit(running).extract());
            // Admitted, it cannot finish while the test holds the lock: the one place to run stays taken.
            await().atMost(PATIENCE).until(() -> bulkhead("executionsRunning") == 1);
            second = CompletableFuture.supplyAsync(() -> submit(waiting).extract());
            await().atMost(PATIENCE).until(() -> bulkhead("executionsWaiting") == 1);

            submit(refused).statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "2")
                    .body("status", equalTo(503))
                    .body("detail", containsString("Too many orders are being submitted or processed at once"));
            lock.rollback().await().atMost(PATIENCE);
        } finally {
            connection.close().await().atMost(PATIENCE);
        }

        for (CompletableFuture<ExtractableResponse<Response>> admitted : List.of(first, second)) {
            ExtractableResponse<Response> response = admitted.join();
            assertEquals(200, response.statusCode(), response.asString());
            assertEquals("active", response.path("status"));
        }
        // Nothing was stored for the refused key: the same request runs now.
        submit(refused).statusCode(200).header("Idempotent-Replayed", nullValue()).body("status", equalTo("active"));
    }
}
