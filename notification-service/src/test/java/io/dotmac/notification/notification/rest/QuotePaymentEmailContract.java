package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.StandIn;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * What every email about a quote's payment holds over HTTP, whichever it is (the payment request,
 * the journey-failed email): the body is only the quote, checked before billing-service is asked;
 * only operators, admins and services may ask; billing being down is a retryable 503 that stores
 * nothing; a repeated request sends one email; another tenant neither sees it nor has it sent. A
 * subclass names its endpoint and how billing-service serves a payment its email goes out for, and
 * tests what its own email says and when it is refused.
 */
abstract class QuotePaymentEmailContract<Q extends QuotePaymentEmailContract.Quote> {

    /** A quote and the customer whom billing-service's payment of it names. */
    interface Quote {
        String quoteId();

        String email();
    }

    final String path;
    final String tenant;
    /** How the endpoint's 409 begins, before " for quote …". */
    final String refusal;
    final String engine;
    final String reader;

    QuotePaymentEmailContract(String path, String tenant, String refusal) {
        this.path = path;
        this.tenant = tenant;
        this.refusal = refusal;
        this.engine = TestTokens.engine(tenant);
        this.reader = TestTokens.token(tenant, "reader");
    }

    /** A new quote and customer, whose payment billing-service does not serve yet. */
    abstract Q fresh();

    /** billing-service now serves the quote's payment in a state the email goes out for; returns the quote. */
    abstract Q emailable(Q quote);

    Q emailable() {
        return emailable(fresh());
    }

    static Map<String, Object> body(String quoteId) {
        Map<String, Object> body = new HashMap<>();
        body.put("quote_id", quoteId);
        return body;
    }

    /** POSTs {@code body} to {@code path} (amounts read back as BigDecimal), with the Idempotency-Key if given. */
    static ValidatableResponse post(String path, String token, String key, Map<String, Object> body) {
        var request = given().config(RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                        .numberReturnType(NumberReturnType.BIG_DECIMAL)))
                .auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post(path).then();
    }

    ValidatableResponse send(String token, String key, Map<String, Object> body) {
        return post(path, token, key, body);
    }

    /** The engine asks for the quote's email. */
    ValidatableResponse send(String key, String quoteId) {
        return send(engine, key, body(quoteId));
    }

    /** A 409 problem that refuses the quote's email for {@code why}, and never names the customer's address. */
    void refused(ValidatableResponse response, String quoteId, String email, String why) {
        response.statusCode(409).contentType("application/problem+json").body("status", Matchers.equalTo(409))
                .body("detail", allOf(containsString(refusal + " for quote " + quoteId), containsString(why),
                        not(containsStringIgnoringCase(email))));
    }

    /** The caller's tenant has no notification to the address. */
    static void noneListed(String token, String email) {
        given().auth().oauth2(token).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200).body("total", Matchers.equalTo(0));
    }

    /** No notification recorded for the address, and no email reached it. */
    void nothingFor(String email) {
        noneListed(reader, email);
        assertTrue(SmtpServer.messagesTo(email).isEmpty(), email);
    }

    static int billingRequests() {
        return SalesStub.server().findAll(getRequestedFor(urlPathMatching(StandIn.paymentPath(".*")))).size();
    }

    @Test
    void aRepeatedRequestSendsOneEmail() throws Exception {
        Q quote = emailable();
        String quoteId = quote.quoteId();
        String key = UUID.randomUUID() + ":" + getClass().getSimpleName();

        String id = send(key, quoteId).statusCode(202).body("status", Matchers.equalTo("sent")).extract().path("id");
        // The engine retrying its step: same key, same body.
        send(key, quoteId).statusCode(202).header("Idempotent-Replayed", "true")
                .body("id", Matchers.equalTo(id)).body("attempts", Matchers.equalTo(1));
        // Other requests about the same payment: new keys, no key, several at once.
        send(UUID.randomUUID().toString(), quoteId).statusCode(202).body("id", Matchers.equalTo(id))
                .body("attempts", Matchers.equalTo(1));
        send(null, quoteId).statusCode(202).body("id", Matchers.equalTo(id));
        var pool = Executors.newFixedThreadPool(5);
        try {
            var ids = pool.invokeAll(IntStream.range(0, 5).<Callable<String>>mapToObj(i -> () ->
                    send(UUID.randomUUID().toString(), quoteId).statusCode(202).extract().path("id")).toList());
            for (var other : ids) {
                assertEquals(id, other.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, SmtpServer.messagesTo(quote.email()).size());

        // The same key for another request is refused, and sends nothing.
        Q other = emailable();
        send(key, other.quoteId()).statusCode(422).contentType("application/problem+json");
        assertTrue(SmtpServer.messagesTo(other.email()).isEmpty());
    }

    @Test
    void billingServiceFailingOrUnreachableIsARetryable503() {
        Q quote = fresh();
        String quoteId = quote.quoteId();
        String key = UUID.randomUUID().toString();
        SalesStub.answerPayment(quoteId, aResponse().withStatus(500).withBody("boom"));

        send(key, quoteId).statusCode(503).contentType("application/problem+json").body("status", Matchers.equalTo(503))
                .body("detail", containsString("billing-service is unavailable"));
        SalesStub.answerPayment(quoteId, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        send(key, quoteId).statusCode(503).body("detail", containsString("billing-service"));
        nothingFor(quote.email());

        // Nothing was kept under the key: the engine's retry with it sends once billing answers.
        emailable(quote);
        send(key, quoteId).statusCode(202).body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(quote.email()).size());
    }

    @Test
    void aMissingOrMalformedQuoteIdIs400AndBillingIsNotAsked() {
        int billingAsked = billingRequests();
        send(engine, null, Map.of()).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("quote_id"));
        send(engine, null, body("   ")).statusCode(400).body("detail", containsString("quote_id"));
        send(engine, null, body("Q-" + "9".repeat(100))).statusCode(400).body("detail", containsString("quote_id"));
        send(engine, null, body("Q-1\r\nBcc: x@evil.test")).statusCode(400).body("detail", containsString("quote_id"));
        given().auth().oauth2(engine).contentType(ContentType.JSON).body("{\"quote_id\": ").when().post(path).then()
                .statusCode(400).contentType("application/problem+json");
        assertEquals(billingAsked, billingRequests());
    }

    @Test
    void onlyOperatorsAdminsAndServicesMayAsk() {
        Q quote = emailable();
        String quoteId = quote.quoteId();
        String email = quote.email();

        send(reader, null, body(quoteId)).statusCode(403).contentType("application/problem+json");
        send(TestTokens.expired(tenant, "service"), null, body(quoteId)).statusCode(401);
        given().contentType(ContentType.JSON).body(body(quoteId)).when().post(path).then().statusCode(401);
        // Refused before billing-service is asked.
        assertTrue(SalesStub.server().findAll(getRequestedFor(urlEqualTo(StandIn.paymentPath(quoteId)))).isEmpty());
        assertTrue(SmtpServer.messagesTo(email).isEmpty());

        send(TestTokens.token(tenant, "operator"), null, body(quoteId)).statusCode(202).body("recipient", Matchers.equalTo(email));
        send(TestTokens.token(tenant, "admin"), null, body(quoteId)).statusCode(202).body("recipient", Matchers.equalTo(email));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void anotherTenantNeitherSeesItNorGetsItSentForItself() {
        Q quote = emailable();
        String quoteId = quote.quoteId();
        String email = quote.email();
        String id = send(null, quoteId).statusCode(202).extract().path("id");

        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        String stranger = TestTokens.token(other, "admin");
        given().auth().oauth2(stranger).when().get("/api/v1/notifications/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        noneListed(stranger, email);

        // billing-service answers for the caller's tenant, which has no payment of that quote.
        SalesStub.server().stubFor(get(urlEqualTo(StandIn.paymentPath(quoteId)))
                .withHeader("Authorization", equalTo("Bearer " + stranger))
                .willReturn(StandIn.problem(404, "No payment for quote " + quoteId)));
        refused(send(stranger, null, body(quoteId)), quoteId, email, "has no payment");
        noneListed(stranger, email);
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }
}
