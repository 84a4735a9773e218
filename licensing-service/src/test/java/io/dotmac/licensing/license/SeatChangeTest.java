package io.dotmac.licensing.license;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.dotmac.licensing.license.LicenseApiTest.PATH;
import static io.dotmac.licensing.license.LicenseApiTest.customer;
import static io.dotmac.licensing.license.LicenseApiTest.paidQuote;
import static io.dotmac.licensing.license.LicenseApiTest.post;
import static io.dotmac.licensing.license.LicenseApiTest.verify;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.signing.LicenseKeyVerifier;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/licenses/change: a paid seat change of a subscription (a quote of kind change, read
 * from crm-service, made and reported applied by billing-service, both stubs) gives the licenses of
 * the quote that started it the change's products and seats: new keys with the same expiry for
 * changed seats, the earlier keys no longer valid; a license for a product added, one revoked for a
 * product removed; in billing's order, however often and in whatever order the changes arrive.
 * Against the real database.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class SeatChangeTest {

    static final String TENANT = "lic-change-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String CHANGE = PATH + "/change";

    @Inject
    Pool database;

    /** A customer's paid quote of the usual purchase and its licenses, issued: isp-core (1 seat) and support-desk (5). */
    record Licensed(String customer, String quote, ExtractableResponse<Response> issued) {

        String key(int i) {
            return issued.path("licenses[" + i + "].license_key");
        }
    }

    static Licensed licensed() {
        String customer = customer();
        String quote = paidQuote(customer);
        return new Licensed(customer, quote, post(SERVICE, PATH, LicenseApiTest.issueBody(customer, quote, null)).statusCode(201)
                .body("licenses.product_code", equalTo(List.of("isp-core", "support-desk"))).extract());
    }

    static Map<String, Object> item(String code, int seats) {
        return CrmStub.crmQuoteItem(code, code, seats, "10.00");
    }

    /** An accepted change quote of the licensed quote's subscription, of these items; its id. */
    static String changeQuote(Licensed licensed, List<Map<String, Object>> items) {
        return (String) CrmStub.changeQuote(licensed.quote(), licensed.customer(), "annual", items).get("id");
    }

    /** A change quote of these items that billing-service reports applied as the subscription's {@code sequence}th change; its id. */
    static String appliedChange(Licensed licensed, int sequence, List<Map<String, Object>> items) {
        String change = changeQuote(licensed, items);
        BillingStub.seatChange(change, licensed.quote(), sequence, "applied");
        return change;
    }

    static String body(String source, String change) {
        return "{\"source_id\": \"" + source + "\", \"change_id\": \"" + change + "\"}";
    }

    static ValidatableResponse change(String source, String change) {
        return post(SERVICE, CHANGE, body(source, change));
    }

    static ValidatableResponse change(String idempotencyKey, String source, String change) {
        return given().auth().oauth2(SERVICE).contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey)
                .body(body(source, change)).when().post(CHANGE).then();
    }

    /** What the key says, read offline with the public key the service serves. */
    static LicenseKeyVerifier.Claims claims(String key) {
        String pem = given().when().get(PATH + "/public-key").then().statusCode(200).extract().path("public_key_pem");
        return LicenseKeyVerifier.fromPem(pem).verifySignature(key).claims();
    }

    @Test
    void moreSeatsGiveTheLicenseANewKeyWithTheSameExpiryAndTheOldKeyOfFewerStaysValidWhileRolledOut() {
        Licensed licensed = licensed();
        // Lines of one product add up.
        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 4), item("support-desk", 6)));

        var changed = change(licensed.quote().toUpperCase(Locale.ROOT), change).statusCode(200)
                .body("source_id", equalTo(licensed.quote())).body("change_id", equalTo(change)).body("sequence", equalTo(1))
                .body("changed", equalTo(true))
                .body("licenses.id", equalTo(licensed.issued().path("licenses.id")))
                .body("licenses.seats", equalTo(List.of(1, 10))).body("licenses.status", everyItem(equalTo("active")))
                .body("licenses.expires_at", equalTo(licensed.issued().path("licenses.expires_at"))).extract();
        String newKey = changed.path("licenses[1].license_key");
        assertNotEquals(licensed.key(1), newKey);
        assertEquals(licensed.key(0), changed.<String>path("licenses[0].license_key"), "isp-core's seats did not change: nor does its key");

        LicenseKeyVerifier.Claims claims = claims(newKey);
        assertEquals(10, claims.seats());
        assertEquals(Instant.parse(licensed.issued().path("licenses[1].expires_at")), claims.expiresAt());
        verify(newKey).body("valid", equalTo(true)).body("expires_at", equalTo(licensed.issued().path("licenses[1].expires_at")));
        // The old key grants fewer seats than are paid for: it stays valid until its own expiry, as a renewal's does.
        verify(licensed.key(1)).body("valid", equalTo(true));
        verify(licensed.key(0)).body("valid", equalTo(true));
        LicenseApiTest.get(READER, PATH + "/" + changed.path("licenses[1].id")).statusCode(200)
                .body("seats", equalTo(10)).body("license_key", equalTo(newKey));

        // The same change again: applied before, nothing changes.
        change(licensed.quote(), change).statusCode(200).body("changed", equalTo(false)).body("sequence", equalTo(1))
                .body("licenses.license_key", equalTo(changed.path("licenses.license_key")))
                .body("licenses.seats", equalTo(List.of(1, 10)));
        assertEquals(List.of(change + "=1"), changesOf(licensed.quote()));
    }

    @Test
    void fewerSeatsStopEveryEarlierKeyOfTheLicenseWhileARenewalsEarlierKeyOfAnotherStaysValid() {
        Licensed licensed = licensed();
        String invoice = LicenseRenewalTest.paidInvoice(licensed.quote(), LicenseRenewalTest.inTwoYears());
        var renewed = post(SERVICE, PATH + "/renew", LicenseRenewalTest.body(licensed.quote(), invoice)).statusCode(200).extract();
        // The keys issued and the renewal's: the issued ones valid until their own expiry.
        verify(licensed.key(1)).body("valid", equalTo(true));

        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 2)));
        var changed = change(licensed.quote(), change).statusCode(200).body("changed", equalTo(true))
                .body("licenses.seats", equalTo(List.of(1, 2)))
                .body("licenses.expires_at", equalTo(renewed.path("licenses.expires_at"))).extract();

        // Five seats no longer: neither the issued key nor the renewal's verifies; the new one, of two seats, does.
        verify(licensed.key(1)).body("valid", equalTo(false)).body("reason", equalTo("expired"));
        verify(renewed.path("licenses[1].license_key")).body("valid", equalTo(false)).body("reason", equalTo("expired"));
        verify(changed.path("licenses[1].license_key")).body("valid", equalTo(true));
        assertEquals(2, claims(changed.path("licenses[1].license_key")).seats());
        // isp-core's seats did not change: its renewal's earlier key stays valid until its own expiry.
        verify(licensed.key(0)).body("valid", equalTo(true));
        assertEquals(renewed.<String>path("licenses[0].license_key"), changed.path("licenses[0].license_key"));
    }

    @Test
    void aProductAddedGetsALicenseLikeTheOthersAndOneRemovedIsRevokedAndMayBeBoughtAgain() {
        Licensed licensed = licensed();
        String expiresAt = licensed.issued().path("licenses[0].expires_at");
        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("billing-suite", 3)));

        var changed = change(licensed.quote(), change).statusCode(200).body("changed", equalTo(true))
                .body("licenses.product_code", equalTo(List.of("billing-suite", "isp-core", "support-desk")))
                .body("licenses.seats", equalTo(List.of(3, 1, 5)))
                .body("licenses.status", equalTo(List.of("active", "active", "revoked")))
                .body("licenses.customer_id", everyItem(equalTo(licensed.customer())))
                .body("licenses.source_id", everyItem(equalTo(licensed.quote())))
                .body("licenses.billing_cycle", everyItem(equalTo("annual")))
                .body("licenses.expires_at", everyItem(equalTo(expiresAt)))
                .body("licenses[0].features", equalTo(List.of("invoicing", "recurring-billing", "payment-collection", "tax-rules",
                        "dunning")))
                .extract();
        verify(changed.path("licenses[0].license_key")).body("valid", equalTo(true)).body("product_code", equalTo("billing-suite"))
                .body("customer_id", equalTo(licensed.customer())).body("expires_at", equalTo(expiresAt));
        verify(licensed.key(0)).body("valid", equalTo(true));
        verify(licensed.key(1)).body("valid", equalTo(false)).body("reason", equalTo("revoked"));
        assertEquals(change, removedBy(changed.path("licenses[2].id")));

        // A later change buys support-desk again: a new license beside the revoked one.
        String again = appliedChange(licensed, 2, List.of(item("isp-core", 1), item("billing-suite", 3), item("support-desk", 7)));
        var bought = change(licensed.quote(), again).statusCode(200).body("changed", equalTo(true))
                .body("licenses.product_code", equalTo(List.of("billing-suite", "isp-core", "support-desk", "support-desk")))
                .extract();
        List<Map<String, Object>> supportDesk = bought.<List<Map<String, Object>>>path("licenses").subList(2, 4);
        Map<String, Object> revoked = supportDesk.stream().filter(l -> "revoked".equals(l.get("status"))).findFirst().orElseThrow();
        Map<String, Object> active = supportDesk.stream().filter(l -> "active".equals(l.get("status"))).findFirst().orElseThrow();
        assertEquals((String) changed.path("licenses[2].id"), revoked.get("id"));
        assertEquals(7, active.get("seats"));
        verify((String) active.get("license_key")).body("valid", equalTo(true));
        assertEquals((String) changed.path("licenses[0].license_key"), bought.path("licenses[0].license_key"), "billing-suite kept its key");
    }

    @Test
    void aLicenseRevokedOtherwiseThanByASeatChangeStaysRevokedAndIsNotIssuedAgain() {
        Licensed licensed = licensed();
        post(ADMIN, PATH + "/" + licensed.issued().path("licenses[1].id") + "/revoke", "").statusCode(200);

        String change = appliedChange(licensed, 1, List.of(item("isp-core", 2), item("support-desk", 9)));
        change(licensed.quote(), change).statusCode(200).body("changed", equalTo(true))
                .body("licenses.product_code", equalTo(List.of("isp-core", "support-desk")))
                .body("licenses.seats", equalTo(List.of(2, 5))).body("licenses.status", equalTo(List.of("active", "revoked")));
        verify(licensed.key(1)).body("reason", equalTo("revoked"));
    }

    @Test
    void aChangeNotYetPaidIsAConflictAndChangesNothingUntilBillingAppliesIt() {
        Licensed licensed = licensed();
        String change = changeQuote(licensed, List.of(item("isp-core", 1), item("support-desk", 8)));
        String key = "exec-" + UUID.randomUUID() + ":change_licenses";

        for (String status : List.of("pending", "awaiting_payment", "expired")) {
            BillingStub.seatChange(change, licensed.quote(), 1, status);
            change(key, licensed.quote(), change).statusCode(409).contentType("application/problem+json")
                    .body("detail", allOf(containsString("is " + status + " at billing"),
                            containsString("licenses are changed only once it is paid")));
        }
        LicenseApiTest.get(READER, PATH + "?customer_id=" + licensed.customer()).statusCode(200)
                .body("items.license_key", equalTo(List.of(licensed.key(0), licensed.key(1))));
        assertEquals(List.of(), changesOf(licensed.quote()));
        // Read on the caller's behalf, with its own token.
        BillingStub.server().verify(getRequestedFor(urlEqualTo(BillingStub.seatChangePath(change)))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + SERVICE)));

        // Paid: the refusals stored nothing under the key, and the retry applies it.
        BillingStub.seatChange(change, licensed.quote(), 1, "applied");
        change(key, licensed.quote(), change).statusCode(200).body("changed", equalTo(true)).body("licenses.seats", equalTo(List.of(1, 8)));
    }

    @Test
    void onlyAnAcceptedChangeOfTheSourcesSubscriptionThatBillingMadeToItChangesItsLicenses() {
        Licensed licensed = licensed();
        Licensed other = licensed();
        List<Map<String, Object>> items = List.of(item("isp-core", 1), item("support-desk", 8));

        // A change of another quote's subscription, as crm-service has it.
        String others = appliedChange(other, 1, items);
        change(licensed.quote(), others).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("changes the subscription of quote " + other.quote()));
        // A change billing-service made to another subscription.
        String misfiled = changeQuote(licensed, items);
        BillingStub.seatChange(misfiled, other.quote(), 1, "applied");
        change(licensed.quote(), misfiled).statusCode(422)
                .body("detail", containsString("billing-service changed the subscription of quote " + other.quote()));
        // One billing-service knows nothing of.
        change(licensed.quote(), changeQuote(licensed, items)).statusCode(422).body("detail", containsString("knows no seat change"));
        // Not a change at all: the source's own quote.
        change(licensed.quote(), licensed.quote()).statusCode(422).body("detail", containsString("not a quote of kind change"));
        // A change not accepted.
        Map<String, Object> sent = CrmStub.quote(UUID.randomUUID().toString(), licensed.customer(), "annual", items);
        sent.put("status", "sent");
        sent.put("kind", "change");
        sent.put("changes_quote_id", licensed.quote());
        CrmStub.serve(sent);
        BillingStub.seatChange((String) sent.get("id"), licensed.quote(), 1, "applied");
        change(licensed.quote(), (String) sent.get("id")).statusCode(422).body("detail", containsString("is sent, not accepted"));
        // One crm-service does not know.
        change(licensed.quote(), UUID.randomUUID().toString()).statusCode(422).body("detail", containsString("unknown to crm-service"));

        change(licensed.quote(), "not-a-uuid").statusCode(400);
        post(SERVICE, CHANGE, "{\"source_id\": \"" + licensed.quote() + "\"}").statusCode(400);
        LicenseApiTest.get(READER, PATH + "?customer_id=" + licensed.customer()).statusCode(200)
                .body("items.license_key", equalTo(List.of(licensed.key(0), licensed.key(1))));

        // A source without licenses here: in this tenant, or for another.
        String unlicensed = UUID.randomUUID().toString();
        String change = (String) CrmStub.changeQuote(unlicensed, licensed.customer(), "annual", items).get("id");
        BillingStub.seatChange(change, unlicensed, 1, "applied");
        change(unlicensed, change).statusCode(409).body("detail", containsString("has no licenses"));
        String ours = appliedChange(licensed, 1, items);
        post(TestTokens.engine("lic-change-other-" + UUID.randomUUID().toString().substring(0, 8)), CHANGE, body(licensed.quote(), ours))
                .statusCode(409);
        verify(licensed.key(1)).body("valid", equalTo(true));
    }

    @Test
    void anOlderChangeDeliveredAfterANewerChangesNothing() {
        Licensed licensed = licensed();
        String first = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 3)));
        String second = appliedChange(licensed, 2, List.of(item("isp-core", 1), item("support-desk", 8)));

        var newer = change(licensed.quote(), second).statusCode(200).body("changed", equalTo(true)).body("sequence", equalTo(2))
                .body("licenses.seats", equalTo(List.of(1, 8))).extract();
        change(licensed.quote(), first).statusCode(200).body("changed", equalTo(false)).body("sequence", equalTo(1))
                .body("change_id", equalTo(first))
                .body("licenses.seats", equalTo(List.of(1, 8)))
                .body("licenses.license_key", equalTo(newer.path("licenses.license_key")));
        verify(newer.path("licenses[1].license_key")).body("valid", equalTo(true));
        assertEquals(List.of(second + "=2"), changesOf(licensed.quote()));

        String third = appliedChange(licensed, 3, List.of(item("isp-core", 1), item("support-desk", 4)));
        change(licensed.quote(), third).statusCode(200).body("changed", equalTo(true)).body("licenses.seats", equalTo(List.of(1, 4)));
    }

    @Test
    void aSuspendedSetStaysSuspendedAndTheLicenseItGainsIsHeldLikeIt() {
        Licensed licensed = licensed();
        String hold = "invoice:in_" + UUID.randomUUID().toString().replace("-", "");
        post(SERVICE, PATH + "/suspend", "{\"source_id\": \"" + licensed.quote() + "\", \"hold\": \"" + hold + "\"}").statusCode(200);

        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 6), item("network-monitoring", 2)));
        var changed = change(licensed.quote(), change).statusCode(200)
                .body("licenses.product_code", equalTo(List.of("isp-core", "network-monitoring", "support-desk")))
                .body("licenses.status", everyItem(equalTo("suspended")))
                .body("licenses.holds", everyItem(equalTo(List.of(hold)))).extract();
        for (String key : changed.<List<String>>path("licenses.license_key")) {
            verify(key).body("valid", equalTo(false)).body("reason", equalTo("suspended"));
        }

        // Its invoice paid, the hold is lifted from every license, the new one too.
        post(SERVICE, PATH + "/reinstate", "{\"source_id\": \"" + licensed.quote() + "\", \"hold\": \"" + hold + "\"}").statusCode(200)
                .body("changed", equalTo(3)).body("licenses.status", everyItem(equalTo("active")))
                .body("licenses.holds", everyItem(empty()));
        for (String key : changed.<List<String>>path("licenses.license_key")) {
            verify(key).body("valid", equalTo(true));
        }
    }

    @Test
    void concurrentDeliveriesApplyAChangeOnceAndAHoldPutMeanwhileReachesTheLicenseItAdds() throws Exception {
        Licensed licensed = licensed();
        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 5), item("customer-portal", 4)));
        String hold = "invoice:in_" + UUID.randomUUID().toString().replace("-", "");

        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(() -> change(licensed.quote(), change).extract());
        }
        calls.add(() -> post(SERVICE, PATH + "/suspend", "{\"source_id\": \"" + licensed.quote() + "\", \"hold\": \"" + hold + "\"}")
                .extract());
        int changed = 0;
        List<Object> keys = new ArrayList<>();
        try {
            List<Future<ExtractableResponse<Response>>> answers = pool.invokeAll(calls);
            for (Future<ExtractableResponse<Response>> answer : answers.subList(0, 4)) {
                ExtractableResponse<Response> response = answer.get();
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(List.of("customer-portal", "isp-core", "support-desk"), response.path("licenses.product_code"));
                changed += Boolean.TRUE.equals(response.path("changed")) ? 1 : 0;
                keys.add(response.path("licenses.license_key"));
            }
            assertEquals(200, answers.get(4).get().statusCode());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, changed, "deliveries that applied the change");
        assertEquals(1, keys.stream().distinct().count(), "every answer shows the same keys: " + keys);
        // Whichever came first, the hold is on every license, the one the change added too.
        LicenseApiTest.get(READER, PATH + "?customer_id=" + licensed.customer()).statusCode(200).body("total", equalTo(3))
                .body("items.status", everyItem(equalTo("suspended"))).body("items.holds", everyItem(equalTo(List.of(hold))));
    }

    @Test
    void anExpiredSetCannotBeChanged() {
        Licensed licensed = licensed();
        post(SERVICE, PATH + "/expire", "{\"source_id\": \"" + licensed.quote() + "\"}").statusCode(200).body("changed", equalTo(2));

        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 8)));
        change(licensed.quote(), change).statusCode(409).body("detail", containsString("none is active or suspended"));
        LicenseApiTest.get(READER, PATH + "?customer_id=" + licensed.customer()).statusCode(200)
                .body("items.seats", equalTo(List.of(1, 5))).body("items.status", everyItem(equalTo("expired")));
        assertEquals(List.of(), changesOf(licensed.quote()));
    }

    @Test
    void aChangeQuoteIsNotIssuedLicensesOfItsOwn() {
        Licensed licensed = licensed();
        String change = changeQuote(licensed, LicenseApiTest.usualItems());

        post(SERVICE, PATH, LicenseApiTest.issueBody(licensed.customer(), change, null)).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("changes the subscription of quote " + licensed.quote()),
                        containsString("POST /api/v1/licenses/change")));
        LicenseApiTest.get(READER, PATH + "?customer_id=" + licensed.customer()).statusCode(200).body("total", equalTo(2));
        // Refused on crm's word alone: billing is not asked for a payment it never takes.
        BillingStub.server().verify(0, getRequestedFor(urlEqualTo(BillingStub.paymentPath(change))));
    }

    @Test
    void operatorsAndTheEngineChangeSeatsAndReadersMayNot() {
        Licensed licensed = licensed();
        String change = appliedChange(licensed, 1, List.of(item("isp-core", 1), item("support-desk", 2)));

        post(READER, CHANGE, body(licensed.quote(), change)).statusCode(403).contentType("application/problem+json");
        post(null, CHANGE, body(licensed.quote(), change)).statusCode(401);
        verify(licensed.key(1)).body("valid", equalTo(true));
        post(OPERATOR, CHANGE, body(licensed.quote(), change)).statusCode(200).body("changed", equalTo(true));
        verify(licensed.key(1)).body("valid", equalTo(false));
    }

    /** The seat changes applied to the source, as change=sequence, oldest first. */
    private List<String> changesOf(String quote) {
        List<String> changes = new ArrayList<>();
        for (Row row : database.preparedQuery("SELECT change_id, sequence, applied_at FROM license_changes "
                        + "WHERE tenant_id = $1 AND source_id = $2 ORDER BY sequence")
                .execute(Tuple.of(TENANT, quote)).await().atMost(Duration.ofSeconds(10))) {
            assertFalse(row.getOffsetDateTime("applied_at") == null);
            changes.add(row.getString("change_id") + "=" + row.getInteger("sequence"));
        }
        return changes;
    }

    private String removedBy(String licenseId) {
        Row row = database.preparedQuery("SELECT removed_by_change, revoked_at FROM licenses WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(licenseId))).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertTrue(row.getOffsetDateTime("revoked_at") != null);
        return row.getString("removed_by_change");
    }
}
