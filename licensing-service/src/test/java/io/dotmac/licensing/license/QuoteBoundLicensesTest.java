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
import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A license set is what its quote bought, as crm-service (a stub over real HTTP) has it: the
 * quote's organization, products, seats and billing cycle, whatever the request says, and one set
 * per quote however its id is spelled; the payment billing-service (a stub) reports must be the
 * quote's total. Every refusal stores nothing, in the real database or under the Idempotency-Key.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class QuoteBoundLicensesTest {

    static final String TENANT = "lic-quote-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String PATH = "/api/v1/licenses";

    @Inject
    Pool database;

    static ValidatableResponse issue(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(PATH).then();
    }

    static ValidatableResponse issue(String key, String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(PATH).then();
    }

    static void nothingIssuedFor(String customer) {
        given().auth().oauth2(READER).queryParam("customer_id", customer).when().get(PATH).then().statusCode(200)
                .body("total", equalTo(0)).body("items", hasSize(0));
    }

    static String body(String customer, String quote, String products) {
        return """
                {"customer_id": "%s", "source_id": "%s", "products": %s}""".formatted(customer, quote, products);
    }

    @Test
    void anotherCustomerThanTheQuotesOrganizationIsRefused() {
        String customer = LicenseApiTest.customer();
        Map<String, Object> quote = LicenseApiTest.quote(customer);
        String id = LicenseApiTest.paid(quote);
        String intruder = LicenseApiTest.customer();
        String key = "exec-" + UUID.randomUUID() + ":issue_license";

        issue(key, SERVICE, LicenseApiTest.issueBody(intruder, id, null)).statusCode(422)
                .contentType("application/problem+json").body("status", equalTo(422))
                .body("detail", allOf(containsString((String) quote.get("quote_number")), containsString(intruder),
                        containsString(customer)));
        nothingIssuedFor(intruder);
        nothingIssuedFor(customer);
        // Read on the caller's behalf, with its own token.
        CrmStub.server().verify(getRequestedFor(urlEqualTo(CrmStub.quotePath(id)))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + SERVICE)));

        // The refusal was not stored under the key: the right request with it issues the set.
        issue(key, SERVICE, LicenseApiTest.issueBody(customer, id, null)).statusCode(201)
                .body("customer_id", equalTo(customer)).body("licenses", hasSize(2));
        nothingIssuedFor(intruder);
    }

    @Test
    void otherProductsOrMoreSeatsThanTheQuotesAreRefused() {
        String customer = LicenseApiTest.customer();
        String quote = LicenseApiTest.paidQuote(customer);
        String quoted = "{isp-core=1, support-desk=5}";

        // More seats.
        issue(SERVICE, body(customer, quote, """
                [{"product_code": "support-desk", "quantity": 50}, {"product_code": "isp-core", "quantity": 1}]"""))
                .statusCode(422).contentType("application/problem+json")
                .body("detail", allOf(containsString("{isp-core=1, support-desk=50}"), containsString(quoted)));
        // Another product besides.
        issue(SERVICE, body(customer, quote, """
                [{"product_code": "support-desk", "quantity": 5}, {"product_code": "isp-core", "quantity": 1},
                 {"product_code": "billing-suite", "quantity": 1}]"""))
                .statusCode(422).body("detail", allOf(containsString("billing-suite=1"), containsString(quoted)));
        // Another product instead.
        issue(SERVICE, body(customer, quote, """
                [{"product_code": "support-desk", "quantity": 5}, {"product_code": "billing-suite", "quantity": 1}]"""))
                .statusCode(422).body("detail", allOf(containsString("{billing-suite=1, support-desk=5}"), containsString(quoted)));
        // Fewer is not what was bought either.
        issue(SERVICE, body(customer, quote, """
                [{"product_code": "isp-core", "quantity": 1}]"""))
                .statusCode(422).body("detail", allOf(containsString("{isp-core=1}"), containsString(quoted)));
        nothingIssuedFor(customer);

        // What the quote bought, in other lines: issued.
        issue(SERVICE, body(customer, quote, """
                [{"product_code": "support-desk", "quantity": 2}, {"product_code": "isp-core", "quantity": 1},
                 {"product_code": "support-desk", "quantity": 3}]"""))
                .statusCode(201).body("licenses.seats", equalTo(List.of(1, 5)));
    }

    @Test
    void aBillingCycleOtherThanTheQuotesIsRefused() {
        String customer = LicenseApiTest.customer();
        String quote = LicenseApiTest.paid(LicenseApiTest.quote(customer, "monthly", LicenseApiTest.usualItems()));

        issue(SERVICE, LicenseApiTest.issueBody(customer, quote, "annual")).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("billing_cycle 'annual'"), containsString("billed monthly")));
        nothingIssuedFor(customer);
    }

    @Test
    void withoutABillingCycleTheQuotesIsUsed() {
        String customer = LicenseApiTest.customer();
        String quote = LicenseApiTest.paid(LicenseApiTest.quote(customer, "monthly", LicenseApiTest.usualItems()));

        var issued = issue(SERVICE, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201)
                .body("licenses.billing_cycle", everyItem(equalTo("monthly"))).extract();
        Instant issuedAt = Instant.parse(issued.path("licenses[0].issued_at"));
        assertEquals(issuedAt.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant().plus(LicenseApiTest.grace()),
                Instant.parse(issued.path("licenses[0].expires_at")));
        assertEquals(issuedAt.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant().plus(LicenseApiTest.grace()),
                Instant.parse(issued.path("licenses[1].expires_at")));
    }

    @Test
    void anotherSpellingOfTheQuoteIdIsTheSameSet() {
        String customer = LicenseApiTest.customer();
        Map<String, Object> quote = LicenseApiTest.quote(customer);
        String id = LicenseApiTest.paid(quote);
        String upper = id.toUpperCase(Locale.ROOT);
        // crm-service knows its quote by either spelling and answers with its own.
        CrmStub.serveAt(upper, quote);
        double licensed = Metrics.funnel("licensed");

        var first = issue(SERVICE, LicenseApiTest.issueBody(customer, upper, null)).statusCode(201)
                .body("source_id", equalTo(id)).body("licenses.source_id", everyItem(equalTo(id))).extract();
        var again = issue(SERVICE, LicenseApiTest.issueBody(customer, id, null)).statusCode(200)
                .body("source_id", equalTo(id)).extract();
        var onceMore = issue(SERVICE, LicenseApiTest.issueBody(customer, upper, null)).statusCode(200)
                .body("source_id", equalTo(id)).extract();
        assertEquals(first.<List<String>>path("licenses.id"), again.<List<String>>path("licenses.id"));
        assertEquals(first.<List<String>>path("licenses.id"), onceMore.<List<String>>path("licenses.id"));
        assertEquals(licensed + 1, Metrics.funnel("licensed"));

        // The rows carry crm-service's spelling, and the payment was asked for by it.
        assertEquals(List.of(id + " " + id, id + " " + id), rows("""
                SELECT l.source_id || ' ' || s.source_id FROM licenses l
                JOIN license_sets s USING (tenant_id, customer_id, source_id)
                WHERE l.tenant_id = $1 AND l.customer_id = $2 ORDER BY l.product_code""", customer));
        BillingStub.server().verify(0, getRequestedFor(urlEqualTo(BillingStub.paymentPath(upper))));
        given().auth().oauth2(READER).queryParam("customer_id", customer).when().get(PATH).then().statusCode(200)
                .body("total", equalTo(2)).body("items.source_id", everyItem(equalTo(id)));
    }

    @Test
    void aPaymentOfLessThanTheQuotesTotalIsAConflict() {
        String customer = LicenseApiTest.customer();
        String quote = (String) LicenseApiTest.quote(customer).get("id");
        BillingStub.paid(quote, new BigDecimal("4.65"), "USD");

        issue(SERVICE, LicenseApiTest.issueBody(customer, quote, null)).statusCode(409)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("4.65 USD"), containsString("465.65 USD due")));
        // Nor is the right amount in another currency.
        BillingStub.paid(quote, new BigDecimal("465.65"), "EUR");
        issue(SERVICE, LicenseApiTest.issueBody(customer, quote, null)).statusCode(409)
                .body("detail", allOf(containsString("465.65 EUR"), containsString("465.65 USD due")));
        nothingIssuedFor(customer);
    }

    @Test
    void crmServiceFailingIsA503AndBillingIsNotAsked() {
        String customer = LicenseApiTest.customer();
        String quote = UUID.randomUUID().toString();
        BillingStub.paid(quote);
        CrmStub.answer(quote, aResponse().withStatus(500).withBody("boom"));

        issue(SERVICE, LicenseApiTest.issueBody(customer, quote, null)).statusCode(503)
                .contentType("application/problem+json").body("status", equalTo(503))
                .body("detail", containsString("crm-service"));
        nothingIssuedFor(customer);
        BillingStub.server().verify(0, getRequestedFor(urlEqualTo(BillingStub.paymentPath(quote))));
    }

    @Test
    void aQuoteUnknownToCrmServiceIsRefused() {
        String customer = LicenseApiTest.customer();
        String quote = UUID.randomUUID().toString();
        // Paid, say, but crm-service has no such quote: its 404.
        BillingStub.paid(quote);
        CrmStub.answer(quote, CrmStub.problem(404, "No quote " + quote));

        issue(SERVICE, LicenseApiTest.issueBody(customer, quote, null)).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString(quote), containsString("unknown to crm-service")));
        nothingIssuedFor(customer);
    }

    @Test
    void operatorsIssueAndReadersMayNot() {
        String customer = LicenseApiTest.customer();
        String quote = LicenseApiTest.paidQuote(customer);

        issue(READER, LicenseApiTest.issueBody(customer, quote, null)).statusCode(403)
                .contentType("application/problem+json");
        nothingIssuedFor(customer);
        issue(OPERATOR, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201)
                .body("customer_id", equalTo(customer)).body("source_id", equalTo(quote)).body("licenses", hasSize(2));
        CrmStub.server().verify(getRequestedFor(urlEqualTo(CrmStub.quotePath(quote)))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + OPERATOR)));
    }

    private List<String> rows(String sql, String customer) {
        List<String> found = new ArrayList<>();
        for (Row row : database.preparedQuery(sql).execute(Tuple.of(TENANT, customer)).await().indefinitely()) {
            found.add(row.getString(0));
        }
        return found;
    }
}
