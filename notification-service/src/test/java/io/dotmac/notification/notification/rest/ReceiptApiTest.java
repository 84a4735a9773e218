package io.dotmac.notification.notification.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
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
import org.junit.jupiter.api.Test;

/**
 * The receipt of a renewal over HTTP with real tokens, to a real SMTP server on loopback, with
 * billing-service (the stub, over real HTTP) serving the invoice and its quote's payment: the
 * recipient is the payment's customer, the amount, period and invoice page the invoice's, never the
 * caller's; one receipt per invoice however often asked; none for an invoice that is not paid.
 */
@QuarkusTest
@QuarkusTestResource(SmtpServer.class)
@QuarkusTestResource(SalesStub.class)
class ReceiptApiTest {

    static final String PATH = "/api/v1/notifications/receipt";
    static final String TENANT = "tenant-receipt-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ENGINE = TestTokens.engine(TENANT);

    static Map<String, Object> body(Object invoiceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("invoice_id", invoiceId);
        return body;
    }

    @Test
    void aPaidInvoicesCustomerGetsOneReceiptOfWhatBillingSays() throws Exception {
        String quote = "Q-" + UUID.randomUUID().toString().substring(0, 8);
        String email = WelcomeEmailApiTest.email();
        Map<String, Object> billed = SalesStub.billedTo(quote, email, "paid");
        String invoice = (String) billed.get("id");
        String cancel = "https://billing.controlplane.test/billing/cancel?token=" + UUID.randomUUID();
        SalesStub.answerCancelLink((String) billed.get("subscription_id"), okJson("{\"url\": \"" + cancel + "\"}"));
        Map<String, Object> forged = body(invoice);
        forged.put("customer_email", WelcomeEmailApiTest.email());
        forged.put("amount", 1);

        String id = QuotePaymentEmailContract.post(PATH, ENGINE, UUID.randomUUID() + ":send_receipt", forged).statusCode(202)
                .body("kind", equalTo("receipt")).body("recipient", equalTo(email)).body("status", equalTo("sent"))
                .body("quote_id", equalTo(quote)).body("invoice_id", equalTo(invoice))
                .body("amount", comparesEqualTo(new BigDecimal("99.00"))).body("currency", equalTo("USD"))
                .body("invoice_url", equalTo("https://invoice.stripe.test/i/" + invoice))
                .body("subject", equalTo("Your DotMac subscription is paid until 30 April 2031"))
                .body("dunning_stage", nullValue())
                .body("$", not(hasKey("cancel_url"))) // whoever reads notifications must not be able to cancel
                .extract().path("id");
        assertEquals(OffsetDateTime.parse("2031-04-30T10:00:00Z").toInstant(), OffsetDateTime.parse(
                QuotePaymentEmailContract.post(PATH, ENGINE, null, body(invoice)).statusCode(202).body("id", equalTo(id))
                        .extract().path("period_end")).toInstant(), "asked again: the same receipt");

        List<MimeMessage> received = SmtpServer.messagesTo(email);
        assertEquals(1, received.size());
        for (String part : List.of(WelcomeEmailApiTest.part(received.get(0), "text/html"),
                WelcomeEmailApiTest.part(received.get(0), "text/plain"))) {
            assertTrue(part.contains("USD 99.00"), part);
            assertTrue(part.contains("31 March 2031") && part.contains("30 April 2031"), part);
            assertTrue(part.contains("https://invoice.stripe.test/i/" + invoice), part);
            assertTrue(part.contains(cancel), part);
        }
    }

    @Test
    void aReceiptGoesWithoutTheLinkToCancelWhenBillingGivesNone() throws Exception {
        String email = WelcomeEmailApiTest.email();
        Map<String, Object> billed = SalesStub.billedTo("Q-" + UUID.randomUUID().toString().substring(0, 8), email, "paid");
        SalesStub.answerCancelLink((String) billed.get("subscription_id"), aResponse().withStatus(403));

        QuotePaymentEmailContract.post(PATH, ENGINE, null, body(billed.get("id"))).statusCode(202).body("status", equalTo("sent"));
        String text = WelcomeEmailApiTest.part(SmtpServer.messagesTo(email).get(0), "text/plain");
        assertFalse(text.contains("/billing/cancel"), text);
    }

    @Test
    void noReceiptForAnInvoiceThatIsNotPaidOrUnknownOrWithoutACustomerAndOnlyForTheEngineOrAnOperator() {
        String open = SalesStub.invoiceTo("Q-" + UUID.randomUUID().toString().substring(0, 8), WelcomeEmailApiTest.email(), "open");
        QuotePaymentEmailContract.post(PATH, ENGINE, null, body(open)).statusCode(409).body("detail", containsString("is open, not paid"));
        QuotePaymentEmailContract.post(PATH, ENGINE, null, body(UUID.randomUUID())).statusCode(409)
                .body("detail", containsString("has no such invoice"));
        String unaddressed = SalesStub.invoiceTo("Q-" + UUID.randomUUID().toString().substring(0, 8), null, "paid");
        QuotePaymentEmailContract.post(PATH, ENGINE, null, body(unaddressed)).statusCode(409)
                .body("detail", containsString("no payment with a customer email"));

        QuotePaymentEmailContract.post(PATH, ENGINE, null, body("in_not_a_uuid")).statusCode(400);
        QuotePaymentEmailContract.post(PATH, ENGINE, null, new LinkedHashMap<>()).statusCode(400);
        String paid = SalesStub.invoiceTo("Q-" + UUID.randomUUID().toString().substring(0, 8), WelcomeEmailApiTest.email(), "paid");
        QuotePaymentEmailContract.post(PATH, TestTokens.token(TENANT, "reader"), null, body(paid)).statusCode(403);
    }
}
