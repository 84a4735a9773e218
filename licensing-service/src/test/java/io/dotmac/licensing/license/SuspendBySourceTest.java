package io.dotmac.licensing.license;

import static io.dotmac.licensing.license.LicenseApiTest.PATH;
import static io.dotmac.licensing.license.LicenseApiTest.customer;
import static io.dotmac.licensing.license.LicenseApiTest.paidQuote;
import static io.dotmac.licensing.license.LicenseApiTest.post;
import static io.dotmac.licensing.license.LicenseApiTest.verify;
import static io.dotmac.licensing.license.RevokeBySourceTest.issue;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/licenses/suspend and /reinstate: a hold put on, or lifted from, every license bought
 * with a quote at once (dunning's for an unpaid invoice, an operator's), in the caller's tenant only,
 * safe to repeat. A license is suspended while any hold is on it; a revoked one stays revoked.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class SuspendBySourceTest {

    static final String TENANT = "lic-suspend-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    // In the order they sort by.
    static final String INVOICE_A = "invoice:in_a" + UUID.randomUUID().toString().replace("-", "");
    static final String INVOICE_B = "invoice:in_b" + UUID.randomUUID();

    @Inject
    Pool database;

    static String body(String source) {
        return "{\"source_id\": \"" + source + "\", \"reason\": \"invoice unpaid past its grace\"}";
    }

    static String body(String source, String hold) {
        return "{\"source_id\": \"" + source + "\", \"hold\": \"" + hold + "\", \"reason\": \"invoice unpaid past its grace\"}";
    }

    static ValidatableResponse suspend(String source, String hold) {
        return post(SERVICE, PATH + "/suspend", body(source, hold)).statusCode(200);
    }

    static ValidatableResponse reinstate(String source, String hold) {
        return post(SERVICE, PATH + "/reinstate", body(source, hold)).statusCode(200);
    }

    /** A new paid quote's two licenses, issued in this test's tenant; the quote's id. */
    static String licensedQuote() {
        String customer = customer();
        String quote = paidQuote(customer);
        issue(SERVICE, customer, quote);
        return quote;
    }

    @Test
    void aQuotesLicensesAreSuspendedAndReinstatedTogetherOnceAndOnlyInTheCallersTenant() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = post(SERVICE, PATH, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201).extract();
        List<String> keys = issued.path("licenses.license_key");
        String otherService = TestTokens.engine("lic-suspend-other-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> theirs = post(otherService, PATH, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201)
                .extract().path("licenses.license_key");

        // No hold named: the operator's.
        post(SERVICE, PATH + "/suspend", body(quote)).statusCode(200).body("source_id", equalTo(quote))
                .body("changed", equalTo(2)).body("licenses", hasSize(2)).body("licenses.status", everyItem(equalTo("suspended")))
                .body("licenses.holds", everyItem(equalTo(List.of("operator"))));
        post(SERVICE, PATH + "/suspend", body(quote.toUpperCase())).statusCode(200).body("changed", equalTo(0));
        for (String key : keys) {
            verify(key).body("valid", equalTo(false)).body("reason", equalTo("suspended"));
        }
        for (String key : theirs) {
            verify(key).body("valid", equalTo(true));
        }

        // A revoked license stays revoked through a reinstatement; its hold is lifted all the same.
        String revoked = issued.path("licenses[0].id");
        post(TestTokens.token(TENANT, "admin"), PATH + "/" + revoked + "/revoke", "").statusCode(200);
        post(OPERATOR, PATH + "/reinstate", body(quote)).statusCode(200).body("changed", equalTo(2))
                .body("licenses.status", equalTo(List.of("revoked", "active"))).body("licenses.holds", everyItem(empty()));
        verify(keys.get(0)).body("reason", equalTo("revoked"));
        verify(keys.get(1)).body("valid", equalTo(true)).body("reason", equalTo("valid"));
        post(SERVICE, PATH + "/reinstate", body(quote)).statusCode(200).body("changed", equalTo(0));

        post(TestTokens.token(TENANT, "reader"), PATH + "/suspend", body(quote)).statusCode(403);
        post(SERVICE, PATH + "/suspend", "{\"source_id\": \"  \"}").statusCode(400);
        post(SERVICE, PATH + "/reinstate", body(UUID.randomUUID().toString())).statusCode(200).body("changed", equalTo(0))
                .body("licenses", hasSize(0));
    }

    @Test
    void aPaidInvoiceLiftsOnlyItsOwnHoldAndNeverAnOperatorsSuspension() {
        String quote = licensedQuote();

        suspend(quote, "operator").body("changed", equalTo(2));
        // Dunning's hold goes on a suspended license too: the engine learns its own hold was placed.
        suspend(quote, INVOICE_A).body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("suspended")))
                .body("licenses.holds", everyItem(equalTo(List.of(INVOICE_A, "operator"))));
        assertEquals(List.of(INVOICE_A, INVOICE_A, "operator", "operator"), holdRows(quote));

        reinstate(quote, INVOICE_A).body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("suspended")))
                .body("licenses.holds", everyItem(equalTo(List.of("operator"))));
        LicenseApiTest.get(OPERATOR, PATH + "?customer_id=" + customerOf(quote)).statusCode(200)
                .body("items.status", everyItem(equalTo("suspended"))).body("items.holds", everyItem(equalTo(List.of("operator"))));

        reinstate(quote, "operator").body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("active")))
                .body("licenses.holds", everyItem(empty()));
        assertEquals(List.of(), holdRows(quote));
    }

    @Test
    void withTwoUnpaidInvoicesPayingOneKeepsTheLicensesSuspended() {
        String quote = licensedQuote();
        suspend(quote, INVOICE_A).body("changed", equalTo(2));
        suspend(quote, INVOICE_B).body("changed", equalTo(2));

        reinstate(quote, INVOICE_B).body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("suspended")))
                .body("licenses.holds", everyItem(equalTo(List.of(INVOICE_A))));
        // Lifted already: nothing to lift is no error.
        reinstate(quote, INVOICE_B).body("changed", equalTo(0));
        reinstate(quote, INVOICE_A).body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("active")));
    }

    @Test
    void aSuspendedLicensePastItsExpiryIsReinstatedByLiftingItsHoldAndARenewalFindsItActive() {
        String quote = licensedQuote();
        suspend(quote, INVOICE_A).body("changed", equalTo(2));
        database.preparedQuery("UPDATE licenses SET expires_at = now() - interval '1 day' WHERE tenant_id = $1 AND source_id = $2")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10));

        // A renewal leaves the holds as they are: renewed, they are still suspended.
        String invoice = LicenseRenewalTest.paidInvoice(quote, LicenseRenewalTest.inTwoYears());
        post(SERVICE, PATH + "/renew", LicenseRenewalTest.body(quote, invoice)).statusCode(200)
                .body("licenses.status", everyItem(equalTo("suspended"))).body("licenses.holds", everyItem(equalTo(List.of(INVOICE_A))));
        database.preparedQuery("UPDATE licenses SET expires_at = now() - interval '1 day' WHERE tenant_id = $1 AND source_id = $2")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10));

        // Expired by the clock, suspended as stored: a hold still goes on, and comes off.
        suspend(quote, INVOICE_B).body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("expired")));
        reinstate(quote, INVOICE_B).body("changed", equalTo(2));
        reinstate(quote, INVOICE_A).body("changed", equalTo(2)).body("licenses.status", everyItem(equalTo("expired")))
                .body("licenses.holds", everyItem(empty()));
        assertEquals(2, count("status = 'active' AND suspended_at IS NULL", quote));

        String next = LicenseRenewalTest.paidInvoice(quote, LicenseRenewalTest.inTwoYears().plusYears(1));
        var renewed = post(SERVICE, PATH + "/renew", LicenseRenewalTest.body(quote, next)).statusCode(200)
                .body("licenses.status", everyItem(equalTo("active"))).extract();
        for (String key : renewed.<List<String>>path("licenses.license_key")) {
            verify(key).body("valid", equalTo(true));
        }
    }

    @Test
    void liftingAHoldThatIsNotThereChangesNothingWhateverTheLicensesStatus() {
        String quote = licensedQuote();
        reinstate(quote, INVOICE_A).body("changed", equalTo(0)).body("licenses.status", everyItem(equalTo("active")));

        // Revoked and expired with their subscription: nothing to put a hold on, nothing to lift.
        String revoked = LicenseApiTest.get(OPERATOR, PATH + "?customer_id=" + customerOf(quote)).extract().path("items[0].id");
        post(TestTokens.token(TENANT, "admin"), PATH + "/" + revoked + "/revoke", "").statusCode(200);
        post(SERVICE, PATH + "/expire", body(quote)).statusCode(200).body("changed", equalTo(1));
        suspend(quote, INVOICE_A).body("changed", equalTo(0)).body("licenses.holds", everyItem(empty()));
        reinstate(quote, INVOICE_A).body("changed", equalTo(0));
        reinstate(quote, "operator").body("changed", equalTo(0));
        post(OPERATOR, PATH + "/" + revoked + "/reinstate", "").statusCode(200).body("status", equalTo("revoked"));
    }

    @Test
    void concurrentCallsPutOneHoldOnce() throws Exception {
        String quote = licensedQuote();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Integer> changed = new ArrayList<>();
        try {
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> post(SERVICE, PATH + "/suspend", body(quote, INVOICE_A)).extract());
            }
            for (Future<ExtractableResponse<Response>> answer : pool.invokeAll(calls)) {
                ExtractableResponse<Response> response = answer.get();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(List.of("suspended", "suspended"), response.path("licenses.status"));
                changed.add(response.path("changed"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(0, 0, 0, 2), changed.stream().sorted().toList(), "one call put the hold on both licenses");
        assertEquals(List.of(INVOICE_A, INVOICE_A), holdRows(quote));
    }

    @Test
    void aHoldIsANameAndAnOptionalId() {
        String quote = licensedQuote();
        for (String hold : List.of("", "Invoice:1", "invoice:", "invoice:a b", "1abc", "invoice:" + "x".repeat(81), "a:b:c")) {
            for (String change : List.of("/suspend", "/reinstate")) {
                post(SERVICE, PATH + change, body(quote, hold)).statusCode(400).contentType("application/problem+json")
                        .body("detail", containsString("hold"));
            }
        }
        post(SERVICE, PATH + "/suspend", "{\"source_id\": \"" + quote + "\", \"hold\": 7}").statusCode(400)
                .contentType("application/problem+json");
        suspend(quote, "chargeback_review:" + "x".repeat(80)).body("changed", equalTo(2));
        assertEquals(2, count("status = 'suspended'", quote));
    }

    private String customerOf(String quote) {
        return database.preparedQuery("SELECT customer_id FROM licenses WHERE tenant_id = $1 AND source_id = $2 LIMIT 1")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    /** The holds stored on the source's licenses, sorted. */
    private List<String> holdRows(String quote) {
        List<String> holds = new ArrayList<>();
        for (Row row : database.preparedQuery("SELECT h.hold, h.reason, h.created_at FROM license_holds h JOIN licenses l "
                        + "ON l.id = h.license_id WHERE l.tenant_id = $1 AND l.source_id = $2")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10))) {
            assertEquals("invoice unpaid past its grace", row.getString("reason"));
            assertEquals(true, row.getOffsetDateTime("created_at") != null);
            holds.add(row.getString("hold"));
        }
        return holds.stream().sorted().toList();
    }

    private long count(String condition, String quote) {
        return database.preparedQuery("SELECT count(*) FROM licenses WHERE tenant_id = $1 AND source_id = $2 AND " + condition)
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
