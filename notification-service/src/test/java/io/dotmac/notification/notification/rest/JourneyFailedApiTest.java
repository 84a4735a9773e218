package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.StandIn;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The journey-failed email over HTTP with real tokens, to a real SMTP server on loopback, with
 * billing-service (the stub, over real HTTP) serving the quote's payment: whom it goes to, the
 * amount and what it says became of the money all come from that payment, never from the caller;
 * and nobody is told their journey failed while billing still holds their money or has not decided
 * the payment. What every email about a quote's payment holds (validation, roles, one email however
 * often asked, billing down, other tenants) is tested by {@link QuotePaymentEmailContract}.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class JourneyFailedApiTest extends QuotePaymentEmailContract<JourneyFailedApiTest.Outcome> {

    static final String PATH = "/api/v1/notifications/journey-failed";
    static final String TENANT = "tenant-failed-" + UUID.randomUUID().toString().substring(0, 8);
    static final String REFUNDED_SUBJECT = "We could not set up your DotMac platform \u2014 your payment has been refunded";
    static final String NOT_RECEIVED_SUBJECT = "We could not set up your DotMac platform \u2014 we did not receive your payment";
    static final BigDecimal AMOUNT = new BigDecimal("2400.00");
    static final String AMOUNT_WRITTEN = "EUR 2,400.00";
    /** How billing-service says a payment failed because its checkout page closed unpaid. */
    static final String EXPIRED = "payment not received: the checkout session expired unpaid";

    /** A quote whose payment billing-service serves to {@code email}, of {@link #AMOUNT} EUR. */
    record Outcome(String quoteId, String email) implements Quote {

        /** A new quote and customer, not served yet. */
        static Outcome fresh() {
            return new Outcome("Q-" + UUID.randomUUID().toString().substring(0, 8), WelcomeEmailApiTest.email());
        }

        /** billing-service serves the payment refunded. */
        Outcome refunded() {
            return serve("refunded", null);
        }

        /** billing-service serves the payment in {@code status}, with this failure message (null: none). */
        Outcome serve(String status, String failureMessage) {
            return serve(status, email, failureMessage);
        }

        Outcome serve(String status, String customerEmail, String failureMessage) {
            Map<String, Object> payment = StandIn.billingPayment(quoteId, status, AMOUNT, "EUR");
            payment.put("customer_email", customerEmail);
            payment.put("failure_message", failureMessage);
            SalesStub.answerPayment(quoteId, okJson(StandIn.json(payment)));
            return this;
        }
    }

    JourneyFailedApiTest() {
        super(PATH, TENANT, "No journey-failed email");
    }

    @Override
    Outcome fresh() {
        return Outcome.fresh();
    }

    @Override
    Outcome emailable(Outcome outcome) {
        return outcome.refunded();
    }

    /** The one email {@code email} received, with this subject: its HTML and plain-text parts. */
    static List<String> theEmail(String email, String subject) throws Exception {
        List<MimeMessage> received = SmtpServer.messagesTo(email);
        assertEquals(1, received.size());
        MimeMessage message = received.get(0);
        assertEquals(subject, message.getSubject());
        return List.of(WelcomeEmailApiTest.part(message, "text/html"), WelcomeEmailApiTest.part(message, "text/plain"));
    }

    @Test
    void aRefundedPaymentsCustomerIsToldTheMoneyIsBackInFull() throws Exception {
        Outcome refunded = emailable();
        String quoteId = refunded.quoteId();
        String email = refunded.email();
        // What the caller says besides the quote would be a way to tell anyone anything.
        String intruder = WelcomeEmailApiTest.email();
        Map<String, Object> body = body(quoteId);
        body.put("customer_email", intruder);
        body.put("amount", 1);
        body.put("status", "failed");

        String id = send(engine, UUID.randomUUID() + ":notify_journey_failed", body).statusCode(202)
                .body("kind", Matchers.equalTo("journey_failed"))
                .body("recipient", Matchers.equalTo(email))
                .body("subject", Matchers.equalTo(REFUNDED_SUBJECT))
                .body("status", Matchers.equalTo("sent"))
                .body("attempts", Matchers.equalTo(1))
                .body("quote_id", Matchers.equalTo(quoteId))
                .body("amount", comparesEqualTo(AMOUNT))
                .body("currency", Matchers.equalTo("EUR"))
                .body("payment_url", nullValue())
                .body("payment_expires_at", nullValue())
                .body("tenant_subdomain", nullValue())
                .body("sent_at", notNullValue())
                .extract().path("id");
        // billing-service was asked for this quote's payment, on the caller's behalf.
        SalesStub.server().verify(getRequestedFor(urlEqualTo(StandIn.paymentPath(quoteId)))
                .withHeader("Authorization", equalTo("Bearer " + engine)));

        for (String part : theEmail(email, REFUNDED_SUBJECT)) {
            assertTrue(part.contains("could not set up"), part);
            assertTrue(part.contains(quoteId), part);
            assertTrue(part.contains("Your payment of " + AMOUNT_WRITTEN + " has been refunded in full"), part);
            assertTrue(part.contains("5\u201310 business days"), part);
            assertTrue(part.contains("account manager will be in touch"), part);
            assertFalse(part.contains("not received"), part);
        }
        assertTrue(SmtpServer.messagesTo(intruder).isEmpty());

        given().auth().oauth2(reader).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .body("kind", Matchers.equalTo("journey_failed")).body("quote_id", Matchers.equalTo(quoteId))
                .body("subject", Matchers.equalTo(REFUNDED_SUBJECT)).body("status", Matchers.equalTo("sent"));
    }

    @Test
    void aFailedPaymentsCustomerIsToldItWasNotReceivedWhyAndHowToPayAgain() throws Exception {
        Outcome expired = Outcome.fresh().serve("failed", EXPIRED);
        send(UUID.randomUUID().toString(), expired.quoteId()).statusCode(202)
                .body("kind", Matchers.equalTo("journey_failed")).body("recipient", Matchers.equalTo(expired.email()))
                .body("subject", Matchers.equalTo(NOT_RECEIVED_SUBJECT)).body("amount", comparesEqualTo(AMOUNT))
                .body("status", Matchers.equalTo("sent"));
        for (String part : theEmail(expired.email(), NOT_RECEIVED_SUBJECT)) {
            assertTrue(part.contains(expired.quoteId()), part);
            assertTrue(part.contains("your payment of " + AMOUNT_WRITTEN + " was not received"), part);
            assertTrue(part.contains("nothing was set up"), part);
            // billing's reason, without its own "payment not received:" said twice.
            assertTrue(part.contains("told us: the checkout session expired unpaid"), part);
            assertFalse(part.contains(EXPIRED), part);
            assertTrue(part.contains("new payment link, reply to this email or contact your account manager"), part);
            assertFalse(part.contains("refunded"), part);
        }

        // Stripe's own message as it is, and HTML-escaped in the HTML part.
        Outcome declined = Outcome.fresh().serve("failed", "Your card was declined <insufficient_funds>.");
        send(null, declined.quoteId()).statusCode(202).body("subject", Matchers.equalTo(NOT_RECEIVED_SUBJECT));
        List<String> parts = theEmail(declined.email(), NOT_RECEIVED_SUBJECT);
        assertTrue(parts.get(0).contains("told us: Your card was declined &lt;insufficient_funds&gt;."), parts.get(0));
        assertTrue(parts.get(1).contains("told us: Your card was declined <insufficient_funds>."), parts.get(1));

        // No reason given: none is made up.
        Outcome silent = Outcome.fresh().serve("failed", null);
        send(null, silent.quoteId()).statusCode(202);
        for (String part : theEmail(silent.email(), NOT_RECEIVED_SUBJECT)) {
            assertTrue(part.contains("was not received"), part);
            assertFalse(part.contains("told us"), part);
        }
    }

    @Test
    void nobodyIsToldWhileBillingHoldsTheMoneyOrHasNotDecided() {
        Outcome outcome = Outcome.fresh();
        String quoteId = outcome.quoteId();
        String email = outcome.email();
        String key = UUID.randomUUID() + ":notify_journey_failed";
        Map<Runnable, String> refusals = new LinkedHashMap<>();
        refusals.put(() -> outcome.serve("succeeded", null),
                "succeeded: refund the payment first: the customer is told once the money is back");
        refusals.put(() -> outcome.serve("pending", null), "is pending: the payment is not decided yet");
        refusals.put(() -> outcome.serve("disputed", null), "is disputed, neither refunded nor failed");
        refusals.put(() -> outcome.serve("refunded", null, null), "has no customer email");
        refusals.put(() -> SalesStub.noPayment(quoteId), "billing-service has no payment for it");
        for (Map.Entry<Runnable, String> refusal : refusals.entrySet()) {
            refusal.getKey().run();
            refused(send(key, quoteId), quoteId, email, refusal.getValue());
        }
        nothingFor(email);

        // A refusal keeps nothing under the key: the engine's retry with it sends once the refund is through.
        outcome.refunded();
        send(key, quoteId).statusCode(202).body("status", Matchers.equalTo("sent"))
                .body("subject", Matchers.equalTo(REFUNDED_SUBJECT));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }
}
