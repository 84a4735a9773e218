package io.dotmac.billing;

import static io.restassured.RestAssured.given;

import io.dotmac.billing.reconciliation.PaymentReconciler;
import io.dotmac.billing.testing.CrmStub;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Requests and database reads the billing tests share. */
public final class BillingTestSupport {

    /** Numbers come back as BigDecimal, so that 1200.00 is compared exactly, scale included. */
    public static final RestAssuredConfig EXACT_NUMBERS = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    private BillingTestSupport() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The body of process_payment for a quote that crm-service (the {@link CrmStub}) now serves,
     * accepted, with this total, currency and customer email (null: none), which the body repeats.
     */
    public static String paymentBody(String quote, String amount, String currency, String email) {
        CrmStub.serveAccepted(quote, amount, currency, email);
        return requestBody(quote, amount, currency, email);
    }

    /** The body of process_payment as given, leaving out what is null; crm-service is not told anything. */
    public static String requestBody(String quote, String amount, String currency, String email) {
        StringBuilder body = new StringBuilder("{\"quote_id\": \"").append(quote).append('"');
        if (amount != null) {
            body.append(", \"amount\": ").append(amount);
        }
        if (currency != null) {
            body.append(", \"currency\": \"").append(currency).append('"');
        }
        if (email != null) {
            body.append(", \"customer_email\": \"").append(email).append('"');
        }
        return body.append('}').toString();
    }

    public static ValidatableResponse processPayment(String token, String idempotencyKey, String body) {
        RequestSpecification request = given().config(EXACT_NUMBERS).auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when().post("/api/v1/billing/payments").then();
    }

    public static ValidatableResponse get(String token, String path) {
        return given().config(EXACT_NUMBERS).auth().oauth2(token).when().get(path).then();
    }

    /** The outbox rows of {@code billing.payment.received} keyed by the quote: [published?, payload] each. */
    public static List<Object[]> outboxRows(Pool pool, String quote) {
        return outboxRows(pool, "billing.payment.received", quote);
    }

    /** The outbox rows of the topic keyed by the quote: [published?, payload] each. */
    public static List<Object[]> outboxRows(Pool pool, String topic, String quote) {
        List<Object[]> rows = new ArrayList<>();
        for (Row row : pool.preparedQuery("""
                        SELECT published_at IS NOT NULL, payload::text FROM outbox_events
                        WHERE topic = $1 AND event_key = $2 ORDER BY created_at""")
                .execute(Tuple.of(topic, quote)).await().atMost(Duration.ofSeconds(10))) {
            rows.add(new Object[] {row.getBoolean(0), row.getString(1)});
        }
        return rows;
    }

    /**
     * Makes the payment two days old, as if its news had been awaited that long; the tests ask
     * about payments older than a day ({@link #reconcile}), so that what earlier runs left pending
     * in the test database (asked about when they ran) does not crowd them out of a round.
     */
    public static void age(Pool pool, UUID id) {
        pool.preparedQuery("UPDATE payments SET created_at = now() - interval '2 days', updated_at = now() - interval '2 days'"
                + " WHERE id = $1").execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10));
    }

    /** One round of the reconciliation job, on a Vert.x context as the scheduler runs it; how many payments changed. */
    public static int reconcile(PaymentReconciler reconciler, Duration after) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> reconciler.reconcile(after));
        } catch (Throwable e) {
            throw new AssertionError("the reconciliation round failed", e);
        }
    }
}
