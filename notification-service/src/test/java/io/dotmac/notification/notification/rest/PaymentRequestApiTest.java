package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.StandIn;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.response.ValidatableResponse;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The payment request email over HTTP with real tokens, to a real SMTP server on loopback, with
 * billing-service (the stub, over real HTTP) serving the quote's payment: whom it goes to, what it
 * says and where it links all come from that payment, never from the caller; it goes once per
 * checkout page; and no link goes out for a payment the customer cannot pay on its page now.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class PaymentRequestApiTest {

    static final String PATH = "/api/v1/notifications/payment-request";
    static final String TENANT = "tenant-pay-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ENGINE = TestTokens.token(TENANT, "service");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String SUBJECT = "Your quote is accepted \u2014 pay here to start your platform";
    static final BigDecimal AMOUNT = new BigDecimal("1299.50");
    /** Open well past the test run; 07:06 at +02:00 is 05:06 UTC. */
    static final OffsetDateTime OPEN_UNTIL = OffsetDateTime.parse("2099-03-04T07:06:00+02:00");
    static final String OPEN_UNTIL_UTC = "4 March 2099, 05:06 UTC";

    /** A quote whose payment billing-service would ask {@code email} to pay on the checkout page at {@code url}. */
    record Checkout(String quoteId, String email, String url) {

        /** A new quote and customer, not served yet. */
        static Checkout fresh() {
            return new Checkout("Q-" + UUID.randomUUID().toString().substring(0, 8), WelcomeEmailApiTest.email(), newUrl());
        }

        /** A new quote and customer whose pending payment billing-service serves, on an open checkout page. */
        static Checkout opened() {
            return fresh().open();
        }

        /** billing-service serves the payment pending on this open checkout page. */
        Checkout open() {
            SalesStub.checkout(quoteId, "pending", AMOUNT, "USD", email, url, OPEN_UNTIL);
            return this;
        }

        /** The page closed and billing opened a new one (a new URL) for the same payment. */
        Checkout reopened() {
            return new Checkout(quoteId, email, newUrl()).open();
        }

        private static String newUrl() {
            return "https://checkout.stripe.com/c/pay/cs_test_" + UUID.randomUUID().toString().replace("-", "");
        }
    }

    static Map<String, Object> body(String quoteId) {
        Map<String, Object> body = new HashMap<>();
        body.put("quote_id", quoteId);
        return body;
    }

    static ValidatableResponse send(String token, String key, Map<String, Object> body) {
        var request = given().config(RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                        .numberReturnType(NumberReturnType.BIG_DECIMAL)))
                .auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post(PATH).then();
    }

    static ValidatableResponse send(String key, String quoteId) {
        return send(ENGINE, key, body(quoteId));
    }

    /** A 409 problem naming the quote and {@code why}, and never the customer's address. */
    static void refused(ValidatableResponse response, String quoteId, String email, String why) {
        response.statusCode(409).contentType("application/problem+json").body("status", Matchers.equalTo(409))
                .body("detail", allOf(containsString("No payment request for quote " + quoteId), containsString(why),
                        not(containsStringIgnoringCase(email))));
    }

    /** The caller's tenant has no notification to the address. */
    static void noneListed(String token, String email) {
        given().auth().oauth2(token).queryParam("recipient", email).when().get("/api/v1/notifications").then()
                .statusCode(200).body("total", Matchers.equalTo(0));
    }

    /** No notification recorded for the address, and no email reached it. */
    static void nothingFor(String email) {
        noneListed(READER, email);
        assertTrue(SmtpServer.messagesTo(email).isEmpty(), email);
    }

    @Test
    void theEmailGoesToBillingsCustomerWithTheLinkTheAmountAndTheDeadline() throws Exception {
        Checkout pay = Checkout.opened();
        String quoteId = pay.quoteId();
        String email = pay.email();
        String url = pay.url();

        String id = send(UUID.randomUUID() + ":send_payment_request", quoteId).statusCode(202)
                .body("kind", Matchers.equalTo("payment_request"))
                .body("recipient", Matchers.equalTo(email))
                .body("subject", Matchers.equalTo(SUBJECT))
                .body("status", Matchers.equalTo("sent"))
                .body("attempts", Matchers.equalTo(1))
                .body("quote_id", Matchers.equalTo(quoteId))
                .body("payment_url", Matchers.equalTo(url))
                .body("amount", comparesEqualTo(AMOUNT))
                .body("currency", Matchers.equalTo("USD"))
                .body("payment_expires_at", notNullValue())
                .body("tenant_subdomain", nullValue())
                .body("tenant_url", nullValue())
                .body("sent_at", notNullValue())
                .extract().path("id");
        // billing-service was asked for this quote's payment, on the caller's behalf.
        SalesStub.server().verify(getRequestedFor(urlEqualTo(StandIn.paymentPath(quoteId)))
                .withHeader("Authorization", equalTo("Bearer " + ENGINE)));

        List<MimeMessage> received = SmtpServer.messagesTo(email);
        assertEquals(1, received.size());
        MimeMessage message = received.get(0);
        assertEquals(SUBJECT, message.getSubject());
        assertEquals("<" + id + "@dotmac.local>", message.getMessageID());
        String html = WelcomeEmailApiTest.part(message, "text/html");
        String text = WelcomeEmailApiTest.part(message, "text/plain");
        for (String part : List.of(html, text)) {
            assertTrue(part.contains("USD 1,299.50"), part);
            assertTrue(part.contains(quoteId), part);
            assertTrue(part.contains(url), part);
            assertTrue(part.contains("open until") && part.contains(OPEN_UNTIL_UTC), part);
            assertTrue(part.contains("licenses"), part);
            assertTrue(part.contains("welcome email"), part);
        }
        assertTrue(html.contains("href=\"" + url + "\""), html);

        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .body("kind", Matchers.equalTo("payment_request")).body("quote_id", Matchers.equalTo(quoteId))
                .body("status", Matchers.equalTo("sent"));
    }

    @Test
    void whatTheCallerSaysBesidesTheQuoteIsIgnored() {
        // Address, amount and link of the caller's own would be a way to mail anyone anything.
        Checkout pay = Checkout.opened();
        String intruder = WelcomeEmailApiTest.email();
        Map<String, Object> body = body(pay.quoteId());
        body.put("customer_email", intruder);
        body.put("checkout_url", "https://evil.test/pay");
        body.put("amount", 1);

        send(ENGINE, null, body).statusCode(202).body("recipient", Matchers.equalTo(pay.email()))
                .body("payment_url", Matchers.equalTo(pay.url())).body("amount", comparesEqualTo(AMOUNT));
        assertEquals(1, SmtpServer.messagesTo(pay.email()).size());
        assertTrue(SmtpServer.messagesTo(intruder).isEmpty());
    }

    @Test
    void aRepeatedRequestSendsOneEmailAndAReopenedCheckoutANewOne() throws Exception {
        Checkout pay = Checkout.opened();
        String quoteId = pay.quoteId();
        String email = pay.email();
        String key = UUID.randomUUID() + ":send_payment_request";

        String id = send(key, quoteId).statusCode(202).body("status", Matchers.equalTo("sent")).extract().path("id");
        // The engine retrying its step: same key, same body.
        send(key, quoteId).statusCode(202).header("Idempotent-Replayed", "true")
                .body("id", Matchers.equalTo(id)).body("attempts", Matchers.equalTo(1));
        // Other requests for the same payment: new keys, no key, several at once.
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
        assertEquals(1, SmtpServer.messagesTo(email).size());

        // The same key for another request is refused, and sends nothing.
        Checkout other = Checkout.opened();
        send(key, other.quoteId()).statusCode(422).contentType("application/problem+json");
        assertTrue(SmtpServer.messagesTo(other.email()).isEmpty());

        // The first page expired and billing opened a new one: that link is a new email, once.
        String reopened = pay.reopened().url();
        String second = send(UUID.randomUUID().toString(), quoteId).statusCode(202)
                .body("payment_url", Matchers.equalTo(reopened)).body("status", Matchers.equalTo("sent")).extract().path("id");
        assertNotEquals(id, second);
        send(UUID.randomUUID().toString(), quoteId).statusCode(202).body("id", Matchers.equalTo(second));
        List<MimeMessage> received = SmtpServer.messagesTo(email);
        assertEquals(2, received.size());
        assertTrue(WelcomeEmailApiTest.part(received.get(1), "text/plain").contains(reopened));
    }

    @Test
    void noLinkGoesOutUnlessThePaymentIsPendingOnAnOpenCheckoutPage() {
        Checkout pay = Checkout.fresh();
        String quoteId = pay.quoteId();
        String email = pay.email();
        String url = pay.url();
        String key = UUID.randomUUID() + ":send_payment_request";
        OffsetDateTime past = OffsetDateTime.now().minusMinutes(1);
        Map<Runnable, String> refusals = new LinkedHashMap<>();
        refusals.put(() -> SalesStub.checkout(quoteId, "succeeded", AMOUNT, "USD", email, url, OPEN_UNTIL), "is already paid");
        refusals.put(() -> SalesStub.checkout(quoteId, "failed", AMOUNT, "USD", email, url, OPEN_UNTIL), "failed");
        refusals.put(() -> SalesStub.checkout(quoteId, "refunded", AMOUNT, "USD", email, url, OPEN_UNTIL),
                "is refunded, not pending");
        refusals.put(() -> SalesStub.checkout(quoteId, "pending", AMOUNT, "USD", email, url, past), "expired at");
        refusals.put(() -> SalesStub.checkout(quoteId, "pending", AMOUNT, "USD", email, url, null), "expired");
        refusals.put(() -> SalesStub.checkout(quoteId, "pending", AMOUNT, "USD", email, null, null),
                "has no checkout page (the payment is confirmed without the customer)");
        refusals.put(() -> SalesStub.checkout(quoteId, "pending", AMOUNT, "USD", null, url, OPEN_UNTIL),
                "has no customer email");
        refusals.put(() -> SalesStub.noPayment(quoteId), "billing-service has no payment for it");
        for (Map.Entry<Runnable, String> refusal : refusals.entrySet()) {
            refusal.getKey().run();
            refused(send(key, quoteId), quoteId, email, refusal.getValue());
        }
        nothingFor(email);

        // A refusal keeps nothing under the key: the engine's retry with it sends once the page is open.
        pay.open();
        send(key, quoteId).statusCode(202).body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void billingServiceFailingOrUnreachableIsARetryable503() {
        Checkout pay = Checkout.fresh();
        String quoteId = pay.quoteId();
        String key = UUID.randomUUID().toString();
        SalesStub.answerPayment(quoteId, aResponse().withStatus(500).withBody("boom"));

        send(key, quoteId).statusCode(503).contentType("application/problem+json").body("status", Matchers.equalTo(503))
                .body("detail", containsString("billing-service is unavailable"));
        SalesStub.answerPayment(quoteId, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        send(key, quoteId).statusCode(503).body("detail", containsString("billing-service"));
        nothingFor(pay.email());

        pay.open();
        send(key, quoteId).statusCode(202).body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(pay.email()).size());
    }

    @Test
    void aMissingOrMalformedQuoteIdIs400AndBillingIsNotAsked() {
        int billingAsked = billingRequests();
        send(ENGINE, null, Map.of()).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("quote_id"));
        send(ENGINE, null, body("   ")).statusCode(400).body("detail", containsString("quote_id"));
        send(ENGINE, null, body("Q-" + "9".repeat(100))).statusCode(400).body("detail", containsString("quote_id"));
        send(ENGINE, null, body("Q-1\r\nBcc: x@evil.test")).statusCode(400).body("detail", containsString("quote_id"));
        given().auth().oauth2(ENGINE).contentType(ContentType.JSON).body("{\"quote_id\": ").when().post(PATH).then()
                .statusCode(400).contentType("application/problem+json");
        assertEquals(billingAsked, billingRequests());
    }

    static int billingRequests() {
        return SalesStub.server().findAll(getRequestedFor(urlPathMatching(StandIn.paymentPath(".*")))).size();
    }

    @Test
    void onlyOperatorsAdminsAndServicesMayAsk() {
        Checkout pay = Checkout.opened();
        String quoteId = pay.quoteId();
        String email = pay.email();

        send(READER, null, body(quoteId)).statusCode(403).contentType("application/problem+json");
        send(TestTokens.expired(TENANT, "service"), null, body(quoteId)).statusCode(401);
        given().contentType(ContentType.JSON).body(body(quoteId)).when().post(PATH).then().statusCode(401);
        // Refused before billing-service is asked.
        assertTrue(SalesStub.server().findAll(getRequestedFor(urlEqualTo(StandIn.paymentPath(quoteId)))).isEmpty());
        assertTrue(SmtpServer.messagesTo(email).isEmpty());

        send(TestTokens.token(TENANT, "operator"), null, body(quoteId)).statusCode(202).body("recipient", Matchers.equalTo(email));
        send(TestTokens.token(TENANT, "admin"), null, body(quoteId)).statusCode(202).body("recipient", Matchers.equalTo(email));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void anotherTenantNeitherSeesItNorGetsTheLinkSentForItself() {
        Checkout pay = Checkout.opened();
        String quoteId = pay.quoteId();
        String email = pay.email();
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
