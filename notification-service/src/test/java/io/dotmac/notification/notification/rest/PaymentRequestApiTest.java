package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.StandIn;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The payment request email over HTTP with real tokens, to a real SMTP server on loopback, with
 * billing-service (the stub, over real HTTP) serving the quote's payment: whom it goes to, what it
 * says and where it links all come from that payment, never from the caller; it goes once per
 * checkout page; and no link goes out for a payment the customer cannot pay on its page now. What
 * every email about a quote's payment holds (validation, roles, idempotency, billing down, other
 * tenants) is tested by {@link QuotePaymentEmailContract}.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class PaymentRequestApiTest extends QuotePaymentEmailContract<PaymentRequestApiTest.Checkout> {

    static final String PATH = "/api/v1/notifications/payment-request";
    static final String TENANT = "tenant-pay-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SUBJECT = "Your quote is accepted \u2014 pay here to start your platform";
    static final BigDecimal AMOUNT = new BigDecimal("1299.50");
    /** Open well past the test run; 07:06 at +02:00 is 05:06 UTC. */
    static final OffsetDateTime OPEN_UNTIL = OffsetDateTime.parse("2099-03-04T07:06:00+02:00");
    static final String OPEN_UNTIL_UTC = "4 March 2099, 05:06 UTC";

    /** A quote whose payment billing-service would ask {@code email} to pay on the checkout page at {@code url}. */
    record Checkout(String quoteId, String email, String url) implements Quote {

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

    PaymentRequestApiTest() {
        super(PATH, TENANT, "No payment request");
    }

    @Override
    Checkout fresh() {
        return Checkout.fresh();
    }

    @Override
    Checkout emailable(Checkout checkout) {
        return checkout.open();
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
                .withHeader("Authorization", equalTo("Bearer " + engine)));

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

        given().auth().oauth2(reader).when().get("/api/v1/notifications/" + id).then().statusCode(200)
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

        send(engine, null, body).statusCode(202).body("recipient", Matchers.equalTo(pay.email()))
                .body("payment_url", Matchers.equalTo(pay.url())).body("amount", comparesEqualTo(AMOUNT));
        assertEquals(1, SmtpServer.messagesTo(pay.email()).size());
        assertTrue(SmtpServer.messagesTo(intruder).isEmpty());
    }

    @Test
    void aReopenedCheckoutIsANewEmailOnce() throws Exception {
        Checkout pay = Checkout.opened();
        String quoteId = pay.quoteId();
        String email = pay.email();
        String id = send(UUID.randomUUID().toString(), quoteId).statusCode(202).extract().path("id");

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
    void aRepeatAfterTheCustomerPaidAnswersWithTheLinkSentBefore() throws Exception {
        // The workflow's step resent after the engine crashed, by when the customer had paid.
        Checkout pay = Checkout.opened();
        String id = send(UUID.randomUUID().toString(), pay.quoteId()).statusCode(202).extract().path("id");
        SalesStub.checkout(pay.quoteId(), "succeeded", AMOUNT, "USD", pay.email(), pay.url(), OPEN_UNTIL);

        send(UUID.randomUUID().toString(), pay.quoteId()).statusCode(200).body("id", Matchers.equalTo(id))
                .body("status", Matchers.equalTo("sent"));
        assertEquals(1, SmtpServer.messagesTo(pay.email()).size(), "no second email");
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
}
