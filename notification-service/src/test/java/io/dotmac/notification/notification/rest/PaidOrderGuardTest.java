package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * An active order is not enough for a welcome email: an order stays active after its payment is
 * refunded, so billing-service (the same stub over real HTTP as sales-service) is asked, with the
 * caller's token, whether the order's quote is paid in full and in the order's currency. Refusals
 * record nothing in the real database (not even under the Idempotency-Key), send nothing to the real
 * SMTP server and never echo the customer's address; and the checks run before the key's
 * transaction, so no connection or key row lock is held while the other services are asked.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class PaidOrderGuardTest {

    static final String PATH = "/api/v1/notifications/welcome-email";
    static final String TENANT = "tenant-paid-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ENGINE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");

    @Inject
    DataSource database;

    static ValidatableResponse send(String key, String email, String slug) {
        return given().auth().oauth2(ENGINE).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(WelcomeEmailApiTest.welcome(email, slug, "Jane Doe")).when().post(PATH).then();
    }

    /** A 409 problem naming the organization and {@code why}, and never the address. */
    static void refused(ValidatableResponse response, String slug, String email, String why) {
        response.statusCode(409).contentType("application/problem+json").body("status", Matchers.equalTo(409))
                .body("detail", allOf(containsString("No welcome email for '" + slug + "'"), containsString(why),
                        not(containsStringIgnoringCase(email))));
    }

    /** No notification recorded for the address, and none of its emails reached the SMTP server. */
    static void nothingFor(String email) {
        given().auth().oauth2(READER).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200).body("total", Matchers.equalTo(0)).body("items", hasSize(0));
        assertTrue(SmtpServer.messagesTo(email).isEmpty(), email);
    }

    /** How many rows the tenant has under this Idempotency-Key in the real database (committed ones). */
    int keyRows(String key) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM idempotency_keys WHERE tenant_id = ? AND idempotency_key = ?")) {
            count.setString(1, TENANT);
            count.setString(2, key);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    static String email() {
        return WelcomeEmailApiTest.email();
    }

    static String slug() {
        return WelcomeEmailApiTest.slug();
    }

    @Test
    void anActiveOrderWhosePaymentWasRefundedGetsNoWelcome() {
        String email = email();
        String slug = slug();
        Map<String, Object> order = SalesStub.activeOrderRefunded(slug, email);

        refused(send(UUID.randomUUID() + ":send_welcome", email, slug), slug, email, "is refunded, not succeeded");
        nothingFor(email);
        // billing-service was asked about the order's own quote, on the caller's behalf.
        SalesStub.server().verify(getRequestedFor(urlEqualTo(SalesStub.paymentPath(SalesStub.quoteId(order))))
                .withHeader("Authorization", equalTo("Bearer " + ENGINE)));
        // And again with a new key: still refused, still nothing.
        refused(send(UUID.randomUUID().toString(), email.toUpperCase(), slug), slug, email, "refunded");
        nothingFor(email);
    }

    @Test
    void aPaymentSmallerThanTheOrderTotalOrInAnotherCurrencyIsNotEnough() {
        String email = email();
        String slug = slug();
        String key = UUID.randomUUID() + ":send_welcome";
        Map<String, Object> order = SalesStub.activeOrderUnderpaid(slug, email, new BigDecimal("400.00"));

        refused(send(key, email, slug), slug, email, "not the " + SalesStub.TOTAL + " " + SalesStub.CURRENCY + " due");
        nothingFor(email);

        // The whole amount, in another currency.
        SalesStub.payment(SalesStub.quoteId(order), "succeeded", SalesStub.TOTAL, "EUR");
        refused(send(key, email, slug), slug, email, "EUR, not the " + SalesStub.TOTAL + " " + SalesStub.CURRENCY);
        nothingFor(email);

        // The whole amount in the order's currency (written with another scale): sent, once.
        SalesStub.payment(SalesStub.quoteId(order), "succeeded", new BigDecimal("465.650"), SalesStub.CURRENCY);
        send(key, email, slug).statusCode(202).body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void billingServiceFailingOrUnreachableIsARetryable503() {
        String email = email();
        String slug = slug();
        String key = UUID.randomUUID() + ":send_welcome";
        Map<String, Object> order = SalesStub.activeOrderBillingAnswers(slug, email, aResponse().withStatus(500).withBody("boom"));

        send(key, email, slug).statusCode(503).contentType("application/problem+json")
                .body("status", Matchers.equalTo(503)).body("detail", containsString("billing-service is unavailable"));
        nothingFor(email);
        SalesStub.answerPayment(SalesStub.quoteId(order), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        send(key, email, slug).statusCode(503).body("detail", containsString("billing-service"));
        nothingFor(email);

        // billing-service back, the quote paid: the engine's retry with the same key sends it.
        SalesStub.paid(order);
        send(key, email, slug).statusCode(202).body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void noRefusalEchoesTheCustomersAddress() {
        String email = email();
        String slug = slug();
        List<Runnable> refusals = List.of(
                () -> SalesStub.serve(slug, List.of()),
                () -> SalesStub.activeOrder(slug, email()),
                () -> SalesStub.serve(slug, List.of(SalesStub.order(slug, email, "processing"))),
                () -> SalesStub.activeOrderRefunded(slug, email),
                () -> SalesStub.activeOrderPending(slug, email),
                () -> SalesStub.activeOrderUnderpaid(slug, email, new BigDecimal("0.01")),
                () -> SalesStub.noPayment(SalesStub.quoteId(SalesStub.activeOrderPaid(slug, email, "succeeded", SalesStub.TOTAL))));
        for (Runnable stub : refusals) {
            stub.run();
            // The address as sent, and in other letter case: neither comes back.
            refused(send(UUID.randomUUID().toString(), email, slug), slug, email, "");
            refused(send(UUID.randomUUID().toString(), email.toUpperCase(), slug), slug, email, "");
        }
        nothingFor(email);
    }

    @Test
    void aRefusalStoresNothingUnderTheKeySoTheSameKeySendsOnceTheOrderIsPaid() throws Exception {
        String email = email();
        String slug = slug();
        String key = UUID.randomUUID() + ":send_welcome";

        // Not paid yet, then no payment at all: refused, and the key is not taken.
        Map<String, Object> order = SalesStub.activeOrderPending(slug, email);
        refused(send(key, email, slug), slug, email, "is pending, not succeeded");
        assertEquals(0, keyRows(key));
        SalesStub.noPayment(SalesStub.quoteId(order));
        refused(send(key, email, slug), slug, email, "has no payment");
        assertEquals(0, keyRows(key));
        nothingFor(email);

        // Paid in full: the same request with the same key sends it, and the key keeps that answer.
        SalesStub.paid(order);
        String id = send(key, email, slug).statusCode(202).body("status", Matchers.equalTo("sent"))
                .body("attempts", Matchers.equalTo(1)).extract().path("id");
        assertEquals(1, keyRows(key));
        send(key, email, slug).statusCode(202).header("Idempotent-Replayed", "true").body("id", Matchers.equalTo(id));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void anotherActiveOrderToTheAddressThatIsPaidInFullIsEnough() {
        String email = email();
        String slug = slug();
        Map<String, Object> refunded = SalesStub.order(slug, email, "active");
        SalesStub.payment(SalesStub.quoteId(refunded), "refunded", SalesStub.TOTAL, SalesStub.CURRENCY);
        Map<String, Object> paid = SalesStub.order(slug, email, "active");
        SalesStub.paid(paid);
        SalesStub.serve(slug, List.of(refunded, paid));

        send(UUID.randomUUID().toString(), email, slug).statusCode(202).body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void theOtherServicesAreAskedBeforeTheKeysTransactionBegins() throws Exception {
        // sales-service answers slowly; while the request waits for it, its Idempotency-Key must be
        // neither stored nor locked (were it claimed in an open transaction, inserting the same key
        // would wait for that transaction, and time out here).
        String email = email();
        String slug = slug();
        String key = UUID.randomUUID() + ":send_welcome";
        SalesStub.answer(slug, SalesStub.ordersPage(SalesStub.activeOrder(slug, email)).withFixedDelay(3000));

        CompletableFuture<Integer> welcome = CompletableFuture.supplyAsync(
                () -> send(key, email, slug).extract().statusCode());
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !SalesStub.server().findAll(getRequestedFor(
                    urlPathEqualTo(SalesStub.ORDERS_PATH)).withQueryParam("organization_slug", equalTo(slug))).isEmpty());
            assertFalse(welcome.isDone(), "the request should still be waiting for sales-service");

            assertEquals(1, insertKeyAndRollBack(key), "the key was already taken while sales-service was asked");
            assertFalse(welcome.isDone(), "the key was checked after the request stopped waiting for sales-service");
        } finally {
            // Whatever happened above, let the request finish before the next test.
            int status = welcome.get(20, TimeUnit.SECONDS);
            assertEquals(202, status);
        }
        assertEquals(1, keyRows(key));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    /** PostgreSQL's SQLSTATE for a lock_timeout that ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    // Inserts the key as IdempotencyService claims one, waiting at most a second for a lock on it,
    // and rolls back; the number of rows inserted.
    private int insertKeyAndRollBack(String key) throws SQLException {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement timeout = connection.createStatement();
                    PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_method, request_path, request_hash)
                            VALUES (?, ?, 'POST', ?, 'probe') ON CONFLICT DO NOTHING""")) {
                timeout.execute("SET LOCAL lock_timeout = '1s'");
                insert.setString(1, TENANT);
                insert.setString(2, key);
                insert.setString(3, PATH);
                return insert.executeUpdate();
            } catch (SQLException e) {
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return fail("the Idempotency-Key was locked by the request's open transaction while it waited for "
                            + "sales-service: " + e.getMessage());
                }
                throw e;
            } finally {
                connection.rollback();
            }
        }
    }
}
