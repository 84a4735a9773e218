package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.notification.testing.SalesStub;
import io.dotmac.notification.testing.SmtpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dunning emails of an unpaid invoice over HTTP with real tokens, to a real SMTP server on
 * loopback, with billing-service (the stub, over real HTTP) serving the invoice and its quote's
 * payment: the recipient is the payment's customer, the amount due, period and invoice page the
 * invoice's, never the caller's; one email per invoice and stage however often asked; none for an
 * invoice that is not open.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class PaymentFailedApiTest {

    static final String PATH = "/api/v1/notifications/payment-failed";
    static final String TENANT = "tenant-dunning-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ENGINE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");

    static Map<String, Object> body(Object invoiceId, String stage) {
        Map<String, Object> body = ReceiptApiTest.body(invoiceId);
        body.put("stage", stage);
        return body;
    }

    static ValidatableResponse send(String token, String key, Object invoiceId, String stage) {
        return QuotePaymentEmailContract.post(PATH, token, key, body(invoiceId, stage));
    }

    static String quote() {
        return "Q-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static int invoiceRequests() {
        return SalesStub.server().findAll(getRequestedFor(urlPathMatching(SalesStub.INVOICES_PATH + ".*"))).size();
    }

    /** A 409 problem refusing the invoice's email for {@code why}; nothing reached {@code email}. */
    static void refused(ValidatableResponse response, String invoiceId, String why, String email) {
        response.statusCode(409).contentType("application/problem+json").body("status", equalTo(409))
                .body("detail", allOf(containsString("No payment reminder for invoice " + invoiceId + ": "), containsString(why)));
        if (email != null) {
            QuotePaymentEmailContract.noneListed(READER, email);
            assertTrue(SmtpServer.messagesTo(email).isEmpty(), email);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "failed    | Your DotMac payment of USD 99.00 did not go through      | did not go through: your card was declined",
            "reminder  | Reminder: your DotMac invoice of USD 99.00 is unpaid     | is still unpaid",
            "suspended | Your DotMac platform is suspended until USD 99.00 is paid | Paying the invoice restores access"})
    void anOpenInvoicesCustomerGetsOneEmailAStageOfWhatBillingSaysIsDue(String stage, String subject, String says)
            throws Exception {
        String quote = quote();
        String email = WelcomeEmailApiTest.email();
        String invoice = SalesStub.invoiceTo(quote, email, "open");
        SalesStub.platformIs(quote, "suspended");
        Map<String, Object> forged = body(invoice, stage);
        forged.put("customer_email", WelcomeEmailApiTest.email());
        forged.put("amount", 1);
        forged.put("invoice_url", "https://pay.evil.test/");

        String id = QuotePaymentEmailContract.post(PATH, ENGINE, UUID.randomUUID() + ":dunning", forged).statusCode(202)
                .body("kind", equalTo("payment_failed")).body("dunning_stage", equalTo(stage))
                .body("recipient", equalTo(email)).body("status", equalTo("sent"))
                .body("quote_id", equalTo(quote)).body("invoice_id", equalTo(invoice))
                .body("amount", comparesEqualTo(new BigDecimal("99.00"))).body("currency", equalTo("USD"))
                .body("invoice_url", equalTo("https://invoice.stripe.test/i/" + invoice))
                .body("subject", equalTo(subject))
                .extract().path("id");
        // Asked again under another key: the same email, not sent again.
        send(ENGINE, UUID.randomUUID() + ":dunning", invoice, stage).statusCode(202)
                .body("id", equalTo(id)).body("attempts", equalTo(1));
        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .body("dunning_stage", equalTo(stage)).body("period_start", containsString("2031-03-31"))
                .body("period_end", containsString("2031-04-30"));

        List<MimeMessage> received = SmtpServer.messagesTo(email);
        assertEquals(1, received.size());
        assertEquals(subject, received.get(0).getSubject());
        for (String part : List.of(WelcomeEmailApiTest.part(received.get(0), "text/html"),
                WelcomeEmailApiTest.part(received.get(0), "text/plain"))) {
            assertTrue(part.contains("USD 99.00"), part);
            assertTrue(part.contains("31 March 2031") && part.contains("30 April 2031"), part);
            assertTrue(part.contains("Pay the invoice") && part.contains("https://invoice.stripe.test/i/" + invoice), part);
            assertTrue(part.contains(says), part);
            assertFalse(part.contains("evil"), part);
        }
    }

    @Test
    void eachStageOfOneInvoiceIsAnEmailOfItsOwn() {
        String email = WelcomeEmailApiTest.email();
        String quote = quote();
        String invoice = SalesStub.invoiceTo(quote, email, "open");
        SalesStub.platformIs(quote, "suspended");

        String failed = send(ENGINE, null, invoice, "failed").statusCode(202).extract().path("id");
        String reminder = send(ENGINE, null, invoice, "reminder").statusCode(202).extract().path("id");
        String suspended = send(ENGINE, null, invoice, "suspended").statusCode(202).extract().path("id");
        send(ENGINE, null, invoice, "failed").statusCode(202).body("id", equalTo(failed));

        assertEquals(3, Set.of(failed, reminder, suspended).size());
        assertEquals(3, SmtpServer.messagesTo(email).size());
    }

    @Test
    void nobodyIsToldTheirPlatformIsSuspendedUnlessSalesReportsItSo() {
        String email = WelcomeEmailApiTest.email();
        String quote = quote();
        String invoice = SalesStub.invoiceTo(quote, email, "open");

        SalesStub.platformIs(quote, "active");
        refused(send(ENGINE, null, invoice, "suspended"), invoice,
                "sales-service reports the platform of quote " + quote + " active, not suspended", email);
        String unprovisioned = quote();
        String other = SalesStub.invoiceTo(unprovisioned, email, "open");
        refused(send(ENGINE, null, other, "suspended"), other, "sales-service has no platform of quote " + unprovisioned, email);

        // Once it is: the email, once.
        SalesStub.platformIs(quote, "suspended");
        send(ENGINE, null, invoice, "suspended").statusCode(202).body("dunning_stage", equalTo("suspended"));
        assertEquals(1, SmtpServer.messagesTo(email).size());
    }

    @Test
    void noEmailForAnInvoiceThatIsNotOpenOrUnknownOrWithoutACustomer() {
        String email = WelcomeEmailApiTest.email();
        String paid = SalesStub.invoiceTo(quote(), email, "paid");
        refused(send(ENGINE, null, paid, "failed"), paid, "it is paid", email);
        String voided = SalesStub.invoiceTo(quote(), email, "void");
        refused(send(ENGINE, null, voided, "reminder"), voided, "it is void", email);

        String unknown = UUID.randomUUID().toString();
        refused(send(ENGINE, null, unknown, "failed"), unknown, "billing-service has no such invoice", null);
        String unaddressed = SalesStub.invoiceTo(quote(), null, "open");
        refused(send(ENGINE, null, unaddressed, "suspended"), unaddressed, "no payment with a customer email", null);
    }

    @Test
    void billingServiceFailingIsARetryable503ThatSendsNothing() {
        String email = WelcomeEmailApiTest.email();
        String invoice = SalesStub.invoiceTo(quote(), email, "open");
        SalesStub.answerInvoice(invoice, aResponse().withStatus(500).withBody("boom"));

        send(ENGINE, UUID.randomUUID().toString(), invoice, "failed").statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("billing-service is unavailable"));
        QuotePaymentEmailContract.noneListed(READER, email);
        assertTrue(SmtpServer.messagesTo(email).isEmpty());
    }

    @Test
    void aMissingOrUnknownStageOrInvoiceIs400AndBillingIsNotAsked() {
        String invoice = SalesStub.invoiceTo(quote(), WelcomeEmailApiTest.email(), "open");
        int billingAsked = invoiceRequests();

        send(ENGINE, null, invoice, "overdue").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("overdue"));
        send(ENGINE, null, invoice, "FAILED").statusCode(400);
        Map<String, Object> byPosition = body(invoice, null);
        byPosition.put("stage", 2);
        QuotePaymentEmailContract.post(PATH, ENGINE, null, byPosition).statusCode(400).contentType("application/problem+json");
        send(ENGINE, null, invoice, null).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("stage"));
        send(ENGINE, null, null, "failed").statusCode(400).body("detail", containsString("invoice_id"));
        send(ENGINE, null, "in_not_a_uuid", "failed").statusCode(400);
        assertEquals(billingAsked, invoiceRequests());
    }

    @Test
    void onlyOperatorsAdminsAndServicesMayAskAndAnotherTenantCannotReadIt() {
        String email = WelcomeEmailApiTest.email();
        String invoice = SalesStub.invoiceTo(quote(), email, "open");

        send(READER, null, invoice, "failed").statusCode(403).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(body(invoice, "failed")).when().post(PATH).then().statusCode(401);
        assertTrue(SmtpServer.messagesTo(email).isEmpty());

        String id = send(TestTokens.token(TENANT, "operator"), null, invoice, "failed").statusCode(202)
                .body("recipient", equalTo(email)).extract().path("id");
        String stranger = TestTokens.token("other-" + UUID.randomUUID().toString().substring(0, 8), "admin");
        given().auth().oauth2(stranger).when().get("/api/v1/notifications/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        QuotePaymentEmailContract.noneListed(stranger, email);
        given().auth().oauth2(READER).when().get("/api/v1/notifications/" + id).then().statusCode(200)
                .body("dunning_stage", equalTo("failed"));
    }
}
