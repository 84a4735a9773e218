package io.dotmac.billing.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.requestBody;
import static io.dotmac.billing.BillingTestSupport.unique;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The price of a payment is the quote's, as crm-service (WireMock in its place) serves it, never the
 * caller's: over HTTP with real tokens, the real stripe-java client against the Stripe stub and the
 * real database. A request that disagrees with the quote, a quote that is not accepted, unknown or
 * unreadable records nothing and asks Stripe nothing.
 */
@QuarkusTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class PaymentFromQuoteTest {

    static final String TENANT = unique("tenant");
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");

    @Inject
    Pool pool;

    final WireMockServer stripe = StripeStub.server();

    static RequestPatternBuilder paymentIntentsFor(String quote) {
        return postRequestedFor(urlPathEqualTo("/v1/payment_intents")).withFormParam("metadata[quote_id]", WireMock.equalTo(quote));
    }

    /** Nothing recorded for the quote, nothing emitted, and Stripe not asked for it. */
    private void nothingHappenedFor(String quote, String email) {
        get(READER, "/api/v1/billing/payments/by-quote/" + quote).statusCode(404).contentType("application/problem+json");
        stripe.verify(0, paymentIntentsFor(quote));
        if (email != null) {
            stripe.verify(0, postRequestedFor(urlPathEqualTo("/v1/customers")).withFormParam("email", WireMock.equalTo(email)));
        }
        assertEquals(0, outboxRows(pool, quote).size());
    }

    @Test
    void anAmountOtherThanTheQuotesIs422NamingBothAndChargesNothing() {
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        CrmStub.serveAccepted(quote, "299.00", "USD", email);

        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", requestBody(quote, "0.01", "USD", email))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("0.01"), containsString("299.00")));
        nothingHappenedFor(quote, email);
    }

    @Test
    void aCurrencyOtherThanTheQuotesIs422NamingBoth() {
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        CrmStub.serveAccepted(quote, "299.00", "EUR", email);

        processPayment(SERVICE, null, requestBody(quote, "299.00", "USD", email))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("USD"), containsString("EUR")));
        // The currency alone, without an amount, is checked too.
        processPayment(SERVICE, null, requestBody(quote, null, "USD", null))
                .statusCode(422)
                .body("detail", allOf(containsString("USD"), containsString("EUR")));
        nothingHappenedFor(quote, email);
    }

    @Test
    void aCustomerEmailOtherThanTheQuotesIs422NamingBoth() {
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        String other = unique("someone-else") + "@example.com";
        CrmStub.serveAccepted(quote, "299.00", "USD", email);

        processPayment(SERVICE, null, requestBody(quote, "299.00", "USD", other))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString(other), containsString(email)));
        nothingHappenedFor(quote, other);
    }

    @Test
    void aQuoteThatIsNotAcceptedIs409NamingItsStatus() {
        String quote = UUID.randomUUID().toString();
        Map<String, Object> draft = CrmStub.quote(quote, "draft", "299.00", "USD", unique("buyer") + "@example.com");
        CrmStub.serve(draft);

        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", requestBody(quote, null, null, null))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("Quote " + draft.get("quote_number") + " is draft"),
                        containsString("not accepted")));
        // A mismatch is reported first, even for a quote that is not accepted.
        processPayment(SERVICE, null, requestBody(quote, "0.01", null, null))
                .statusCode(422)
                .body("detail", allOf(containsString("0.01"), containsString("299.00")));
        nothingHappenedFor(quote, (String) draft.get("customer_email"));
    }

    @Test
    void onlyTheQuoteIdIsEnoughAndThePaymentIsTheQuotesTotalExactly() {
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        CrmStub.serveAccepted(quote, "696.99", "USD", email);

        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", requestBody(quote, null, null, null))
                .statusCode(201)
                .body("quote_id", equalTo(quote))
                .body("amount", equalTo(new BigDecimal("696.99")))
                .body("currency", equalTo("USD"))
                .body("customer_email", equalTo(email))
                .body("status", equalTo("succeeded"))
                .body("stripe_customer_id", startsWith("cus_"))
                .body("succeeded_at", notNullValue());

        // crm-service was read on behalf of the caller, and Stripe asked for the quote's total in cents.
        CrmStub.server().verify(getRequestedFor(urlEqualTo(CrmStub.quotePath(quote)))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + SERVICE)));
        stripe.verify(1, paymentIntentsFor(quote)
                .withFormParam("amount", WireMock.equalTo("69699"))
                .withFormParam("currency", WireMock.equalTo("usd"))
                .withFormParam("receipt_email", WireMock.equalTo(email)));
        get(READER, "/api/v1/billing/payments/by-quote/" + quote).statusCode(200)
                .body("amount", equalTo(new BigDecimal("696.99"))).body("customer_email", equalTo(email));
    }

    @Test
    void aRequestRepeatingTheQuotesTermsIsTakenAsTheQuotes() {
        // The same total written otherwise, the currency in lower case, the email in another case.
        String quote = UUID.randomUUID().toString();
        String email = unique("buyer") + "@example.com";
        CrmStub.serveAccepted(quote, "1200.00", "USD", email);

        processPayment(SERVICE, null, requestBody(quote, "1200", "usd", email.toUpperCase()))
                .statusCode(201)
                .body("amount", equalTo(new BigDecimal("1200.00")))
                .body("currency", equalTo("USD"))
                .body("customer_email", equalTo(email));
        stripe.verify(1, paymentIntentsFor(quote).withFormParam("amount", WireMock.equalTo("120000")));
    }

    @Test
    void aQuoteCrmServiceDoesNotKnowIs422() {
        String quote = UUID.randomUUID().toString();
        CrmStub.answer(quote, aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"No quote with id '" + quote + "'\"}"));

        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", requestBody(quote, "299.00", "USD", null))
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString(quote), containsString("unknown to crm-service")));
        nothingHappenedFor(quote, null);
    }

    @Test
    void crmServiceFailingOrUnreachableIs503() {
        String quote = UUID.randomUUID().toString();
        CrmStub.answer(quote, aResponse().withStatus(500).withBody("boom"));
        processPayment(SERVICE, UUID.randomUUID() + ":process_payment", requestBody(quote, null, null, null))
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("crm-service is unavailable"), containsString("500")));
        nothingHappenedFor(quote, null);

        String reset = UUID.randomUUID().toString();
        CrmStub.answer(reset, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        processPayment(SERVICE, null, requestBody(reset, null, null, null))
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("crm-service is unavailable"));
        nothingHappenedFor(reset, null);
    }
}
