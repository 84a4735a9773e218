package io.dotmac.licensing.license;

import static io.dotmac.licensing.license.LicenseApiTest.PATH;
import static io.dotmac.licensing.license.LicenseApiTest.customer;
import static io.dotmac.licensing.license.LicenseApiTest.issueBody;
import static io.dotmac.licensing.license.LicenseApiTest.paidQuote;
import static io.dotmac.licensing.license.LicenseApiTest.post;
import static io.dotmac.licensing.license.LicenseApiTest.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/licenses/revoke: the undo of a quote's purchase revokes every license bought with it,
 * in the caller's tenant only, once however often or concurrently it is asked. Licenses are issued
 * the usual way first (crm-service and billing-service stubs serving a paid quote), against the real
 * database.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class RevokeBySourceTest {

    static final String TENANT = "lic-undo-" + UUID.randomUUID().toString().substring(0, 8);
    static final String OTHER_TENANT = "lic-undo-other-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String REVOKE = PATH + "/revoke";

    @Inject
    Pool database;

    /** The usual purchase's two licenses, issued in the tenant of {@code token} for a paid quote of {@code customer}. */
    static ExtractableResponse<Response> issue(String token, String customer, String quote) {
        return post(token, PATH, issueBody(customer, quote, null)).statusCode(201).body("licenses", hasSize(2)).extract();
    }

    static String body(String source, String reason) {
        return reason == null ? "{\"source_id\": \"" + source + "\"}"
                : "{\"source_id\": \"" + source + "\", \"reason\": \"" + reason + "\"}";
    }

    static ValidatableResponse revoke(String token, String source) {
        return post(token, REVOKE, body(source, "order could not be activated"));
    }

    @Test
    void everyLicenseOfTheQuoteIsRevokedOnceAndItsKeysVerifyAsRevoked() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(SERVICE, customer, quote);
        List<String> ids = issued.path("licenses.id");

        revoke(SERVICE, quote).statusCode(200)
                .body("source_id", equalTo(quote)).body("revoked", equalTo(2))
                .body("licenses.id", equalTo(ids)).body("licenses.status", everyItem(equalTo("revoked")))
                .body("licenses.source_id", everyItem(equalTo(quote)));
        for (String key : issued.<List<String>>path("licenses.license_key")) {
            verify(key).body("valid", equalTo(false)).body("reason", equalTo("revoked"));
        }
        for (String id : ids) {
            LicenseApiTest.get(READER, PATH + "/" + id).statusCode(200).body("status", equalTo("revoked"));
        }
        List<OffsetDateTime> revokedAt = revokedAt(TENANT, quote);
        assertEquals(2, revokedAt.size());
        assertFalse(revokedAt.contains(null), revokedAt.toString());

        // Again: nothing more to revoke, the same licenses, and the first revocation's time stays.
        revoke(SERVICE, quote).statusCode(200)
                .body("source_id", equalTo(quote)).body("revoked", equalTo(0))
                .body("licenses.id", equalTo(ids)).body("licenses.status", everyItem(equalTo("revoked")));
        assertEquals(revokedAt, revokedAt(TENANT, quote));
    }

    @Test
    void suspendedLicensesAreRevokedAndOnesRevokedAlreadyAreNotCounted() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(SERVICE, customer, quote);
        post(ADMIN, PATH + "/" + issued.path("licenses[0].id") + "/revoke", "").statusCode(200);
        post(OPERATOR, PATH + "/" + issued.path("licenses[1].id") + "/suspend", "").statusCode(200);

        // An operator may undo, without a reason; any spelling of the quote id is the quote.
        post(ADMIN, REVOKE, body(quote.toUpperCase(Locale.ROOT), null)).statusCode(200)
                .body("revoked", equalTo(1)).body("licenses", hasSize(2))
                .body("licenses.status", everyItem(equalTo("revoked")));
        verify(issued.path("licenses[1].license_key")).body("reason", equalTo("revoked"));
    }

    @Test
    void anotherTenantsLicensesForTheSameQuoteAreUntouched() {
        String customer = customer();
        String quote = paidQuote(customer);
        issue(SERVICE, customer, quote);
        String otherService = TestTokens.engine(OTHER_TENANT);
        var theirs = issue(otherService, customer, quote);

        revoke(SERVICE, quote).statusCode(200).body("revoked", equalTo(2)).body("licenses", hasSize(2));

        for (String key : theirs.<List<String>>path("licenses.license_key")) {
            verify(key).body("valid", equalTo(true)).body("reason", equalTo("valid"));
        }
        LicenseApiTest.get(TestTokens.token(OTHER_TENANT, "reader"), PATH + "?customer_id=" + customer).statusCode(200)
                .body("total", equalTo(2)).body("items.status", everyItem(equalTo("active")));
        assertEquals(List.of(true, true), revokedAt(OTHER_TENANT, quote).stream().map(at -> at == null).toList());
        // Their own undo is theirs to make.
        revoke(otherService, quote).statusCode(200).body("revoked", equalTo(2))
                .body("licenses.id", equalTo(theirs.path("licenses.id")));
    }

    @Test
    void aSourceWithoutLicensesIsNothingToUndo() {
        String unknown = UUID.randomUUID().toString();
        revoke(SERVICE, unknown).statusCode(200)
                .body("source_id", equalTo(unknown)).body("revoked", equalTo(0)).body("licenses", emptyIterable());
        // Not yet licensed: a paid quote whose journey failed before licensing.
        String customer = customer();
        String quote = paidQuote(customer);
        post(ADMIN, REVOKE, body(quote, null)).statusCode(200).body("revoked", equalTo(0)).body("licenses", hasSize(0));
    }

    @Test
    void readersMayNotAndInvalidRequestsNameTheField() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(SERVICE, customer, quote);

        revoke(READER, quote).statusCode(403).contentType("application/problem+json");
        revoke(OPERATOR, quote).statusCode(403).contentType("application/problem+json");
        revoke(null, quote).statusCode(401).contentType("application/problem+json");
        post(SERVICE, REVOKE, "{\"reason\": \"no source\"}").statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("source_id"));
        post(SERVICE, REVOKE, body("  ", null)).statusCode(400).body("detail", containsString("source_id"));
        post(SERVICE, REVOKE, body("q".repeat(201), null)).statusCode(400).body("detail", containsString("source_id"));
        post(SERVICE, REVOKE, body(quote + "\\u0007", null)).statusCode(400)
                .body("detail", containsString("source_id: must not contain control characters"));
        post(SERVICE, REVOKE, body(quote, "r".repeat(501))).statusCode(400).body("detail", containsString("reason"));
        post(SERVICE, REVOKE, "").statusCode(400).contentType("application/problem+json");

        // None of them revoked anything; a 500-character reason is fine.
        verify(issued.path("licenses[0].license_key")).body("reason", equalTo("valid"));
        post(SERVICE, REVOKE, body(quote, "r".repeat(500))).statusCode(200).body("revoked", equalTo(2));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswer() {
        String customer = customer();
        String quote = paidQuote(customer);
        issue(SERVICE, customer, quote);
        String key = "exec-" + UUID.randomUUID() + ":revoke_licenses";

        withKey(key, body(quote, "undo")).statusCode(200).body("revoked", equalTo(2));
        withKey(key, body(quote, "undo")).statusCode(200).header("Idempotent-Replayed", "true").body("revoked", equalTo(2));
        withKey(key, body(quote, "another reason")).statusCode(422).contentType("application/problem+json");
        withKey("exec-" + UUID.randomUUID(), body(quote, "undo")).statusCode(200).body("revoked", equalTo(0));
    }

    @Test
    void concurrentUndosRevokeEachLicenseOnce() throws Exception {
        String customer = customer();
        String quote = paidQuote(customer);
        List<String> ids = issue(SERVICE, customer, quote).path("licenses.id");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Integer> revoked = new ArrayList<>();
        try {
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> revoke(SERVICE, quote).extract());
            }
            for (Future<ExtractableResponse<Response>> answer : pool.invokeAll(calls)) {
                ExtractableResponse<Response> response = answer.get();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(ids, response.path("licenses.id"));
                assertEquals(List.of("revoked", "revoked"), response.path("licenses.status"));
                revoked.add(response.path("revoked"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, revoked.stream().mapToInt(Integer::intValue).sum(), revoked.toString());
    }

    private static ValidatableResponse withKey(String key, String body) {
        return given().auth().oauth2(SERVICE).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(REVOKE).then();
    }

    private List<OffsetDateTime> revokedAt(String tenant, String source) {
        List<OffsetDateTime> found = new ArrayList<>();
        for (Row row : database.preparedQuery("SELECT revoked_at FROM licenses WHERE tenant_id = $1 AND source_id = $2 ORDER BY product_code")
                .execute(Tuple.of(tenant, source)).await().indefinitely()) {
            found.add(row.getOffsetDateTime(0));
        }
        return found;
    }
}
