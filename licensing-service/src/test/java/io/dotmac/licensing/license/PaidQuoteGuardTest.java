package io.dotmac.licensing.license;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A license set is issued only for a paid quote: billing-service (a stub over real HTTP) is asked
 * for the payment of the source quote (which crm-service, a stub too, serves as what the request
 * asks for), with the caller's token, before anything is written to the real database. Refusals
 * store nothing, not even under the Idempotency-Key, so the engine's retry with the same key issues
 * the set once the payment has succeeded.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class PaidQuoteGuardTest {

    static final String TENANT = "lic-paid-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String PATH = "/api/v1/licenses";

    static ValidatableResponse issue(String key, String customer, String quote) {
        return given().auth().oauth2(SERVICE).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(LicenseApiTest.issueBody(customer, quote, null)).when().post(PATH).then();
    }

    static void nothingIssuedFor(String customer) {
        given().auth().oauth2(READER).queryParam("customer_id", customer).when().get(PATH).then().statusCode(200)
                .body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void aSetWaitsForItsQuotesPaymentAndIsIssuedOnceItSucceeded() {
        String customer = LicenseApiTest.customer();
        String quote = (String) LicenseApiTest.quote(customer).get("id");
        String key = "exec-" + UUID.randomUUID() + ":issue_license";
        double licensed = Metrics.funnel("licensed");

        // No payment at all: billing-service answers 404.
        BillingStub.noPayment(quote);
        issue(key, customer, quote).statusCode(409).contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", allOf(containsString("quote " + quote), containsString("has no payment")));
        nothingIssuedFor(customer);
        // Asked on the caller's behalf: its own token went along.
        BillingStub.server().verify(getRequestedFor(urlEqualTo(BillingStub.paymentPath(quote)))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + SERVICE)));

        // Paying has started but not succeeded.
        BillingStub.payment(quote, "pending");
        issue(key, customer, quote).statusCode(409).contentType("application/problem+json")
                .body("detail", allOf(containsString("quote " + quote), containsString("is pending"),
                        containsString("not succeeded")));
        nothingIssuedFor(customer);

        // A failed payment is no better.
        BillingStub.payment(quote, "failed");
        issue(key, customer, quote).statusCode(409).body("detail", allOf(containsString(quote), containsString("is failed")));
        nothingIssuedFor(customer);

        // billing-service failing or unreachable: a 503 the engine retries, not a refusal.
        BillingStub.answer(quote, aResponse().withStatus(500).withBody("boom"));
        issue(key, customer, quote).statusCode(503).contentType("application/problem+json")
                .body("status", equalTo(503)).body("detail", containsString("billing-service"));
        BillingStub.answer(quote, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        issue(key, customer, quote).statusCode(503).body("detail", containsString("billing-service"));
        nothingIssuedFor(customer);
        assertEquals(licensed, Metrics.funnel("licensed"));

        // Paid: the same request with the same key issues the set.
        BillingStub.paid(quote);
        var issued = issue(key, customer, quote).statusCode(201)
                .body("source_id", equalTo(quote)).body("licenses", hasSize(2))
                .body("licenses.status", everyItem(equalTo("active")))
                .extract();
        given().auth().oauth2(READER).queryParam("customer_id", customer).when().get(PATH).then().statusCode(200)
                .body("total", equalTo(2));
        assertEquals(licensed + 1, Metrics.funnel("licensed"));
        // The key now replays that answer.
        issue(key, customer, quote).statusCode(201).header("Idempotent-Replayed", "true")
                .body("licenses.id", equalTo(issued.path("licenses.id")));
    }

    @Test
    void aBillingServiceThatDoesNotAnswerInTimeIsA503() {
        String customer = LicenseApiTest.customer();
        String quote = (String) LicenseApiTest.quote(customer).get("id");
        // Longer than the client's read timeout (5 s).
        BillingStub.answer(quote, aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{}").withFixedDelay(7000));
        issue(UUID.randomUUID().toString(), customer, quote).statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("billing-service"));
        nothingIssuedFor(customer);
    }
}
