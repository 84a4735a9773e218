package io.dotmac.licensing.license;

import static io.dotmac.licensing.license.LicenseApiTest.PATH;
import static io.dotmac.licensing.license.LicenseApiTest.customer;
import static io.dotmac.licensing.license.LicenseApiTest.paidQuote;
import static io.dotmac.licensing.license.LicenseApiTest.post;
import static io.dotmac.licensing.license.LicenseApiTest.verify;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/licenses/renew: a paid invoice of the quote's subscription extends its licenses to
 * the end of the period it paid for, each under a new key, the earlier keys valid until their own
 * expiry; once per invoice, however often or concurrently asked; only for an invoice billing-service
 * (the stub) reports paid and of that quote. Against the real database.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class LicenseRenewalTest {

    static final String TENANT = "lic-renew-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String RENEW = PATH + "/renew";

    @Inject
    Pool database;

    /** The end of a period paid in advance beyond the licenses' first year, in whole seconds. */
    static OffsetDateTime inTwoYears() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusYears(2).truncatedTo(ChronoUnit.SECONDS);
    }

    static ExtractableResponse<Response> issue(String customer, String quote) {
        return post(SERVICE, PATH, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201).body("licenses", hasSize(2)).extract();
    }

    static String body(String source, Object invoiceId) {
        return "{\"source_id\": \"" + source + "\", \"invoice_id\": \"" + invoiceId + "\"}";
    }

    /** A paid invoice of the quote for the period ending {@code end}; its id. */
    static String paidInvoice(String quote, OffsetDateTime end) {
        return (String) BillingStub.invoice(quote, "paid", end.minusYears(1).toString(), end.toString()).get("id");
    }

    @Test
    void aPaidInvoiceExtendsEachLicenseUnderANewKeyAndTheOldKeysStayValidUntilTheirOwnExpiry() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(customer, quote);
        List<String> oldKeys = issued.path("licenses.license_key");
        OffsetDateTime end = inTwoYears();
        String invoice = paidInvoice(quote, end);

        var renewed = post(SERVICE, RENEW, body(quote, invoice)).statusCode(200)
                .body("source_id", equalTo(quote)).body("invoice_id", equalTo(invoice)).body("renewed", equalTo(true))
                .body("licenses", hasSize(2)).body("licenses.status", everyItem(equalTo("active")))
                .body("licenses.id", equalTo(issued.path("licenses.id"))).extract();
        // The period's end and the grace, for the renewal's payment of the period after.
        Instant until = end.toInstant().plus(LicenseApiTest.grace());
        for (String expires : renewed.<List<String>>path("licenses.expires_at")) {
            assertEquals(until, OffsetDateTime.parse(expires).toInstant());
        }
        List<String> newKeys = renewed.path("licenses.license_key");
        for (int i = 0; i < newKeys.size(); i++) {
            assertNotEquals(oldKeys.get(i), newKeys.get(i));
            verify(newKeys.get(i)).body("valid", equalTo(true)).body("expires_at", equalTo(until.toString()));
            verify(oldKeys.get(i)).body("valid", equalTo(true)).body("reason", equalTo("valid"))
                    .body("expires_at", equalTo(issued.path("licenses[" + i + "].expires_at").toString()));
        }

        // Again, and by another spelling of the quote: done before, nothing changes.
        post(OPERATOR, RENEW, body(quote.toUpperCase(), invoice)).statusCode(200).body("renewed", equalTo(false))
                .body("licenses.license_key", equalTo(newKeys));

        // An earlier key past its own expiry is expired; the license's current key is not.
        database.preparedQuery("UPDATE license_keys SET expires_at = now() - interval '1 minute' WHERE license_key = $1")
                .execute(Tuple.of(oldKeys.get(0))).await().atMost(Duration.ofSeconds(10));
        verify(oldKeys.get(0)).body("valid", equalTo(false)).body("reason", equalTo("expired"));
        verify(newKeys.get(0)).body("valid", equalTo(true));
    }

    @Test
    void aLateInvoiceNeverShortensALicenseAndARevokedOneStaysAsItIsWhileASuspendedOneRunsOnSuspended() {
        String customer = customer();
        String quote = paidQuote(customer);
        var issued = issue(customer, quote);
        String later = paidInvoice(quote, inTwoYears().plusMonths(1));
        post(SERVICE, RENEW, body(quote, later)).statusCode(200).body("renewed", equalTo(true));
        List<String> keys = LicenseApiTest.get(READER, PATH + "?customer_id=" + customer).extract().path("items.license_key");

        String earlier = paidInvoice(quote, inTwoYears());
        post(SERVICE, RENEW, body(quote, earlier)).statusCode(200).body("renewed", equalTo(true));
        LicenseApiTest.get(READER, PATH + "?customer_id=" + customer).body("items.license_key", equalTo(keys));

        String revoked = issued.path("licenses[0].id");
        String suspended = issued.path("licenses[1].id");
        String expiryBefore = LicenseApiTest.get(READER, PATH + "/" + revoked).extract().path("expires_at");
        post(TestTokens.token(TENANT, "admin"), PATH + "/" + revoked + "/revoke", "").statusCode(200);
        post(OPERATOR, PATH + "/" + suspended + "/suspend", "").statusCode(200);
        String next = paidInvoice(quote, inTwoYears().plusYears(1));
        var renewed = post(SERVICE, RENEW, body(quote, next)).statusCode(200).extract();
        List<Map<String, Object>> licenses = renewed.path("licenses");
        Map<String, Object> first = licenses.stream().filter(l -> revoked.equals(l.get("id"))).findFirst().orElseThrow();
        Map<String, Object> second = licenses.stream().filter(l -> suspended.equals(l.get("id"))).findFirst().orElseThrow();
        assertEquals("revoked", first.get("status"));
        assertEquals(expiryBefore, first.get("expires_at"), "the revoked license keeps its expiry");
        assertEquals("suspended", second.get("status"));
        verify((String) second.get("license_key")).body("reason", equalTo("suspended"));
    }

    @Test
    void onlyAPaidInvoiceOfTheQuoteRenewsAndOnlyForAQuoteWithLicensesHere() {
        String customer = customer();
        String quote = paidQuote(customer);
        issue(customer, quote);

        String open = (String) BillingStub.invoice(quote, "open", "2031-01-01T00:00:00Z", "2032-01-01T00:00:00Z").get("id");
        post(SERVICE, RENEW, body(quote, open)).statusCode(409).body("detail", containsString("is open, not paid"));
        String others = paidInvoice(UUID.randomUUID().toString(), inTwoYears());
        post(SERVICE, RENEW, body(quote, others)).statusCode(422).body("detail", containsString("bills quote"));
        post(SERVICE, RENEW, body(quote, UUID.randomUUID())).statusCode(422).body("detail", containsString("knows no invoice"));

        String unlicensed = UUID.randomUUID().toString();
        post(SERVICE, RENEW, body(unlicensed, paidInvoice(unlicensed, inTwoYears()))).statusCode(409)
                .body("detail", containsString("has no licenses"));
        post(SERVICE, RENEW, body(quote, "not-a-uuid")).statusCode(400);
        post(SERVICE, RENEW, "{\"source_id\": \"" + quote + "\"}").statusCode(400);
        post(READER, RENEW, body(quote, paidInvoice(quote, inTwoYears()))).statusCode(403);
        // Another tenant has no licenses of the quote: nothing of this tenant's is renewed.
        post(TestTokens.engine("lic-renew-other-" + UUID.randomUUID().toString().substring(0, 8)), RENEW,
                body(quote, paidInvoice(quote, inTwoYears()))).statusCode(409);
    }

    @Test
    void concurrentRenewalsByOneInvoiceRenewOnce() throws Exception {
        String customer = customer();
        String quote = paidQuote(customer);
        issue(customer, quote);
        String invoice = paidInvoice(quote, inTwoYears());

        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Callable<ExtractableResponse<Response>> call = () -> post(SERVICE, RENEW, body(quote, invoice)).statusCode(200).extract();
                answers.add(pool.submit(call));
            }
            int renewed = 0;
            List<Object> keys = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                ExtractableResponse<Response> response = answer.get();
                renewed += Boolean.TRUE.equals(response.path("renewed")) ? 1 : 0;
                keys.add(response.path("licenses.license_key"));
            }
            assertEquals(1, renewed, "renewals that renewed");
            assertEquals(1, keys.stream().distinct().count(), "every answer shows the same keys: " + keys);
        } finally {
            pool.shutdownNow();
        }
        long superseded = database.preparedQuery("""
                        SELECT count(*) FROM license_keys k JOIN licenses l ON l.id = k.license_id
                        WHERE l.tenant_id = $1 AND l.source_id = $2""")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(2, superseded, "one earlier key per license");
    }
}
