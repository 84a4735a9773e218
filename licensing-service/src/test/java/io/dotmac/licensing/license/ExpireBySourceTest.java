package io.dotmac.licensing.license;

import static io.dotmac.licensing.license.LicenseApiTest.PATH;
import static io.dotmac.licensing.license.LicenseApiTest.customer;
import static io.dotmac.licensing.license.LicenseApiTest.paidQuote;
import static io.dotmac.licensing.license.LicenseApiTest.post;
import static io.dotmac.licensing.license.LicenseApiTest.verify;
import static io.dotmac.licensing.license.RevokeBySourceTest.issue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/licenses/expire: the end of a subscription expires every license bought with its
 * quote at once, under every key each has had (renewals' earlier ones too), in the caller's tenant
 * only, safe to repeat; a revoked license stays revoked, and no later renewal revives an expired one.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class ExpireBySourceTest {

    static final String TENANT = "lic-expire-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String EXPIRE = PATH + "/expire";

    @Inject
    Pool database;

    static String body(String source) {
        return "{\"source_id\": \"" + source + "\", \"reason\": \"subscription sub_123 ended\"}";
    }

    @Test
    void activeAndSuspendedLicensesExpireAtOnceUnderEveryKeyTheyHadAndStayExpired() {
        String customer = customer();
        String quote = paidQuote(customer);
        List<String> keys = new ArrayList<>(issue(SERVICE, customer, quote).<List<String>>path("licenses.license_key"));
        // A renewal first: the issued keys are superseded, and still valid until their own expiry.
        var renewed = post(SERVICE, PATH + "/renew", LicenseRenewalTest.body(quote,
                LicenseRenewalTest.paidInvoice(quote, LicenseRenewalTest.inTwoYears()))).statusCode(200).extract();
        List<String> current = renewed.path("licenses.license_key");
        keys.addAll(current);
        post(OPERATOR, PATH + "/" + renewed.path("licenses[1].id") + "/suspend", "").statusCode(200);

        Instant before = Instant.now().minusSeconds(1);
        var expired = post(SERVICE, EXPIRE, body(quote)).statusCode(200)
                .body("source_id", equalTo(quote)).body("changed", equalTo(2))
                .body("licenses.id", equalTo(renewed.path("licenses.id")))
                .body("licenses.status", everyItem(equalTo("expired"))).extract();
        Instant after = Instant.now();
        for (String expiresAt : expired.<List<String>>path("licenses.expires_at")) {
            Instant at = Instant.parse(expiresAt);
            assertFalse(at.isBefore(before) || at.isAfter(after), "expires_at " + at + " is the call's time");
        }
        // Stored so, and as answered.
        assertEquals(2, count("SELECT count(*) FROM licenses WHERE tenant_id = $1 AND source_id = $2 AND status = 'expired'"
                + " AND expires_at <= now()", quote));
        LicenseApiTest.get(OPERATOR, PATH + "/" + renewed.path("licenses[0].id")).statusCode(200)
                .body("status", equalTo("expired")).body("expires_at", equalTo(expired.path("licenses[0].expires_at")));
        for (String key : keys) {
            var verified = verify(key).body("valid", equalTo(false)).body("reason", equalTo("expired")).extract();
            assertFalse(Instant.parse(verified.path("expires_at")).isAfter(after), "a key runs no longer than its license");
        }

        // Again, by another spelling of the quote: nothing more to expire.
        post(SERVICE, EXPIRE, body(quote.toUpperCase(Locale.ROOT))).statusCode(200).body("changed", equalTo(0))
                .body("licenses.status", everyItem(equalTo("expired")))
                .body("licenses.expires_at", equalTo(expired.path("licenses.expires_at")));
        // Neither a reinstatement (which lifts the operator's hold from the one suspended) nor a later invoice brings them back.
        post(SERVICE, PATH + "/reinstate", body(quote)).statusCode(200).body("changed", equalTo(1))
                .body("licenses.status", everyItem(equalTo("expired"))).body("licenses.holds", everyItem(emptyIterable()));
        post(SERVICE, PATH + "/renew", LicenseRenewalTest.body(quote,
                LicenseRenewalTest.paidInvoice(quote, LicenseRenewalTest.inTwoYears().plusYears(1)))).statusCode(200)
                .body("licenses.status", everyItem(equalTo("expired")))
                .body("licenses.license_key", equalTo(current))
                .body("licenses.expires_at", equalTo(expired.path("licenses.expires_at")));
        for (String key : current) {
            verify(key).body("reason", equalTo("expired"));
        }
    }

    @Test
    void aLicenseRunOutByItsDateIsExpiredToo_SoALatePaymentOfTheEndedSubscriptionRevivesNothing() {
        String customer = customer();
        String quote = paidQuote(customer);
        issue(SERVICE, customer, quote);
        // Stripe ended the subscription after its retries, days after the keys ran out by their date.
        database.preparedQuery("UPDATE licenses SET expires_at = now() - interval '3 days' WHERE tenant_id = $1 AND source_id = $2")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10));

        var expired = post(SERVICE, EXPIRE, body(quote)).statusCode(200).body("changed", equalTo(2))
                .body("licenses.status", everyItem(equalTo("expired"))).extract();
        for (String expiresAt : expired.<List<String>>path("licenses.expires_at")) {
            assertTrue(Instant.parse(expiresAt).isBefore(Instant.now().minusSeconds(86_400)), "its own, earlier date is kept");
        }
        // The customer pays the ended subscription's open invoice from its dunning email: nothing comes back.
        post(SERVICE, PATH + "/renew", LicenseRenewalTest.body(quote,
                LicenseRenewalTest.paidInvoice(quote, LicenseRenewalTest.inTwoYears()))).statusCode(200)
                .body("licenses.status", everyItem(equalTo("expired")))
                .body("licenses.expires_at", equalTo(expired.path("licenses.expires_at")));
    }

    @Test
    void aRevokedLicenseStaysRevokedAndAnotherTenantsLicensesForTheSameQuoteAreUntouched() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(SERVICE, customer, quote);
        post(TestTokens.token(TENANT, "admin"), PATH + "/" + issued.path("licenses[0].id") + "/revoke", "").statusCode(200);
        String otherTenant = "lic-expire-other-" + UUID.randomUUID().toString().substring(0, 8);
        var theirs = issue(TestTokens.engine(otherTenant), customer, quote);

        post(OPERATOR, EXPIRE, body(quote)).statusCode(403).contentType("application/problem+json"); // final: not an operator's
        post(SERVICE, EXPIRE, body(quote)).statusCode(200).body("changed", equalTo(1))
                .body("licenses.status", equalTo(List.of("revoked", "expired")));
        verify(issued.path("licenses[0].license_key")).body("reason", equalTo("revoked"));
        verify(issued.path("licenses[1].license_key")).body("reason", equalTo("expired"));

        for (String key : theirs.<List<String>>path("licenses.license_key")) {
            verify(key).body("valid", equalTo(true)).body("reason", equalTo("valid"));
        }
        LicenseApiTest.get(TestTokens.token(otherTenant, "reader"), PATH + "?customer_id=" + customer).statusCode(200)
                .body("total", equalTo(2)).body("items.status", everyItem(equalTo("active")))
                .body("items.expires_at", equalTo(theirs.path("licenses.expires_at")));
    }

    @Test
    void readersMayNotATokenIsNeededAndInvalidRequestsNameTheField() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(SERVICE, customer, quote);

        post(TestTokens.token(TENANT, "reader"), EXPIRE, body(quote)).statusCode(403).contentType("application/problem+json");
        post(null, EXPIRE, body(quote)).statusCode(401).contentType("application/problem+json");
        post(SERVICE, EXPIRE, "{\"reason\": \"no source\"}").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("source_id"));
        post(SERVICE, EXPIRE, "{\"source_id\": \"  \"}").statusCode(400).body("detail", containsString("source_id"));
        post(SERVICE, EXPIRE, "{\"source_id\": \"" + quote + "\", \"reason\": \"" + "r".repeat(501) + "\"}").statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("reason"));
        post(SERVICE, EXPIRE, "").statusCode(400).contentType("application/problem+json");
        verify(issued.path("licenses[0].license_key")).body("reason", equalTo("valid"));

        // A source without licenses in this tenant is nothing to expire.
        post(SERVICE, EXPIRE, body(UUID.randomUUID().toString())).statusCode(200).body("changed", equalTo(0))
                .body("licenses", emptyIterable());
    }

    private long count(String query, String source) {
        return database.preparedQuery(query).execute(Tuple.of(TENANT, source)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
