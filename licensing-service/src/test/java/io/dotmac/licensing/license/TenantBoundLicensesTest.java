package io.dotmac.licensing.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A tenant licenses its own customers only: the customer must be the organization of a paid quote
 * that crm-service (a stub that, like crm-service, shows a quote to its own tenant only) serves to
 * the caller, and a key verifies as issued by that tenant. Another tenant's customer is a 422 with
 * nothing stored in either tenant, and another tenant's licenses are as unknown as none (404).
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class TenantBoundLicensesTest {

    static final String TENANT = "lic-ours-" + UUID.randomUUID().toString().substring(0, 8);
    static final String OTHER_TENANT = "lic-theirs-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String THEIR_SERVICE = TestTokens.engine(OTHER_TENANT);
    static final String THEIR_READER = TestTokens.token(OTHER_TENANT, "reader");
    static final String PATH = "/api/v1/licenses";

    /** A paid quote of the usual purchase for {@code customer}, which crm-service serves to the tenant of {@code token} only. */
    static Map<String, Object> paidQuoteOf(String token, String customer) {
        Map<String, Object> quote = CrmStub.serveTo(token, CrmStub.quote(UUID.randomUUID().toString(), customer, "annual",
                LicenseApiTest.usualItems()));
        LicenseApiTest.paid(quote);
        return quote;
    }

    static ValidatableResponse post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    static void noLicensesOf(String token, String customer) {
        given().auth().oauth2(token).queryParam("customer_id", customer).when().get(PATH).then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void anotherTenantsCustomerIsRefused() {
        String ours = LicenseApiTest.customer();
        String theirs = LicenseApiTest.customer();
        Map<String, Object> ourQuote = paidQuoteOf(SERVICE, ours);
        Map<String, Object> theirQuote = paidQuoteOf(THEIR_SERVICE, theirs);
        String ourQuoteId = (String) ourQuote.get("id");
        String theirQuoteId = (String) theirQuote.get("id");

        // Their customer with their quote: crm-service knows no such quote in our tenant.
        post(SERVICE, PATH, LicenseApiTest.issueBody(theirs, theirQuoteId, null)).statusCode(422)
                .contentType("application/problem+json").body("status", equalTo(422))
                .body("detail", allOf(containsString(theirQuoteId), containsString("unknown to crm-service")));
        // Their customer with our own paid quote: not the organization our quote is for.
        post(SERVICE, PATH, LicenseApiTest.issueBody(theirs, ourQuoteId, null)).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString((String) ourQuote.get("quote_number")),
                        containsString("customer_id '" + theirs + "'"), containsString("organization_slug '" + ours + "'")));
        // Nor our customer spelled otherwise: customer_id is the organization's slug as it is.
        String shouted = ours.toUpperCase(Locale.ROOT);
        post(SERVICE, PATH, LicenseApiTest.issueBody(shouted, ourQuoteId, null)).statusCode(422)
                .body("detail", containsString("customer_id '" + shouted + "'"));
        noLicensesOf(SERVICE, theirs);
        noLicensesOf(SERVICE, shouted);
        noLicensesOf(THEIR_READER, theirs);

        // Their own licenses are issued to them, and a key says so.
        var issued = post(THEIR_SERVICE, PATH, LicenseApiTest.issueBody(theirs, theirQuoteId, null)).statusCode(201)
                .body("customer_id", equalTo(theirs)).body("licenses", hasSize(2)).extract();
        String key = issued.path("licenses[0].license_key");
        LicenseApiTest.verify(key).body("valid", equalTo(true)).body("tenant_id", equalTo(OTHER_TENANT))
                .body("customer_id", equalTo(theirs));

        // To us their licenses are as unknown as none: nothing to read, change or revoke.
        String id = issued.path("licenses[0].id");
        given().auth().oauth2(ADMIN).when().get(PATH + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        for (String action : new String[] {"suspend", "reinstate", "revoke"}) {
            post(ADMIN, PATH + "/" + id + "/" + action, "").statusCode(404).contentType("application/problem+json");
        }
        post(ADMIN, PATH + "/revoke", "{\"source_id\": \"" + theirQuoteId + "\"}").statusCode(200)
                .body("revoked", equalTo(0)).body("licenses", hasSize(0));
        noLicensesOf(SERVICE, theirs);
        LicenseApiTest.verify(key).body("valid", equalTo(true)).body("reason", equalTo("valid"));
    }
}
