package io.dotmac.licensing.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.licensing.signing.LicenseKeyVerifier;
import io.dotmac.licensing.signing.LicenseSigner;
import io.dotmac.licensing.signing.TestKeys;
import io.dotmac.licensing.testing.BillingStub;
import io.dotmac.licensing.testing.CrmStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The license API over HTTP with real tokens, against the real database; crm-service, read for each
 * purchase's quote, and billing-service, asked whether it is paid, are stubs serving for every
 * source here a quote of what the request asks for and a succeeded payment of its total.
 */
@QuarkusTest
@QuarkusTestResource(BillingStub.class)
@QuarkusTestResource(CrmStub.class)
class LicenseApiTest {

    static final String TENANT = "lic-" + UUID.randomUUID().toString().substring(0, 8);
    static final String OTHER_TENANT = "lic-other-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SERVICE = TestTokens.engine(TENANT);
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String PATH = "/api/v1/licenses";

    @Inject
    Pool database;

    /** How long a key outlives the period paid for (licensing.expiry-grace, as configured). */
    static Duration grace() {
        return ConfigProvider.getConfig().getValue("licensing.expiry-grace", Duration.class);
    }

    static String customer() {
        return "cust-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The usual purchase, as a quote's items: five support-desk seats and one isp-core (465.65 USD, as {@link #issueBody}). */
    static List<Map<String, Object>> usualItems() {
        return List.of(CrmStub.crmQuoteItem("support-desk", "Support Desk (per seat)", 5, "33.33"),
                CrmStub.crmQuoteItem("isp-core", "ISP Core Platform", 1, "299.00"));
    }

    /** A new quote of the usual purchase for {@code customer} (its organization_slug), billed annually, served by crm-service (the stub); not paid. */
    static Map<String, Object> quote(String customer) {
        return quote(customer, "annual", usualItems());
    }

    /** A new quote for {@code customer} of these items, billed {@code billingCycle}, served by crm-service (the stub); not paid. */
    static Map<String, Object> quote(String customer, String billingCycle, List<Map<String, Object>> items) {
        return CrmStub.serve(CrmStub.quote(UUID.randomUUID().toString(), customer, billingCycle, items));
    }

    /** billing-service (the stub) reports a succeeded payment of the quote's total in its currency; returns the quote's id. */
    static String paid(Map<String, Object> quote) {
        String id = (String) quote.get("id");
        BillingStub.paid(id, (BigDecimal) quote.get("total_amount"), (String) quote.get("currency"));
        return id;
    }

    /** A new quote of the usual purchase for {@code customer}, billed annually and paid: licenses may be issued for it. */
    static String paidQuote(String customer) {
        return paid(quote(customer));
    }

    /** An issue request as the engine sends it: the quote's items (the usual purchase), with fields licensing ignores. */
    static String issueBody(String customer, String source, String billingCycle) {
        return """
                {"customer_id": "%s", "source_id": "%s", %s
                 "products": [
                   {"product_code": "support-desk", "product_name": "Support Desk (per seat)", "quantity": 5, "unit_price": 33.33, "line_total": 166.65},
                   {"product_code": "isp-core", "product_name": "ISP Core Platform", "quantity": 1, "unit_price": 299.00, "line_total": 299.00}]}"""
                .formatted(customer, source, billingCycle == null ? "" : "\"billing_cycle\": \"" + billingCycle + "\",");
    }

    static ValidatableResponse post(String token, String path, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        return (token == null ? request : request.auth().oauth2(token)).when().post(path).then();
    }

    static ValidatableResponse get(String token, String path) {
        return given().auth().oauth2(token).when().get(path).then();
    }

    static ExtractableResponse<Response> issue(String customer, String source) {
        return post(SERVICE, PATH, issueBody(customer, source, null)).statusCode(201).extract();
    }

    /** The licenses of the usual purchase, paid, of a new customer. */
    static ExtractableResponse<Response> issueNew() {
        String customer = customer();
        return issue(customer, paidQuote(customer));
    }

    static ValidatableResponse verify(String key) {
        return post(null, PATH + "/verify", "{\"key\": \"" + key + "\"}").statusCode(200);
    }

    @Test
    void issueOneLicensePerProductAndVerifyItsKey() {
        String customer = customer();
        String source = paidQuote(customer);
        var issued = post(SERVICE, PATH, issueBody(customer, source, null)).statusCode(201)
                .body("customer_id", equalTo(customer))
                .body("source_id", equalTo(source))
                .body("licenses", hasSize(2))
                .body("licenses.product_code", equalTo(List.of("isp-core", "support-desk")))
                .body("licenses.seats", equalTo(List.of(1, 5)))
                .body("licenses.status", everyItem(equalTo("active")))
                .body("licenses.customer_id", everyItem(equalTo(customer)))
                .body("licenses[0].features", equalTo(List.of("subscriber-management", "radius-aaa", "ipam",
                        "service-plans", "network-inventory")))
                .body("licenses[1].features", equalTo(List.of("ticketing", "sla-tracking", "knowledge-base", "live-chat")))
                .extract();

        // The quote's cycle (annual here), none being asked for.
        Instant issuedAt = Instant.parse(issued.path("licenses[0].issued_at"));
        Instant expiresAt = Instant.parse(issued.path("licenses[0].expires_at"));
        assertEquals(issuedAt.atOffset(ZoneOffset.UTC).plusYears(1).toInstant().plus(grace()), expiresAt);
        assertTrue(Math.abs(Instant.now().getEpochSecond() - issuedAt.getEpochSecond()) < 300);

        String id = issued.path("licenses[1].id");
        String key = issued.path("licenses[1].license_key");
        verify(key).body("valid", equalTo(true)).body("reason", equalTo("valid"))
                .body("license_id", equalTo(id)).body("tenant_id", equalTo(TENANT))
                .body("product_code", equalTo("support-desk"))
                .body("customer_id", equalTo(customer)).body("expires_at", equalTo(issued.path("licenses[1].expires_at")));

        get(READER, PATH + "/" + id).statusCode(200).body("license_key", equalTo(key)).body("seats", equalTo(5))
                .body("source_id", equalTo(source)).body("billing_cycle", equalTo("annual"));
    }

    @Test
    void aServiceIssuedKeyVerifiesOfflineWithOnlyTheServedPublicKey() {
        String key = issueNew().path("licenses[0].license_key");
        var publicKey = given().when().get(PATH + "/public-key").then().statusCode(200)
                .body("algorithm", equalTo("Ed25519")).extract();

        // No CDI, no database: the JDK and the PEM the endpoint served.
        LicenseKeyVerifier offline = LicenseKeyVerifier.fromPem(publicKey.path("public_key_pem"));
        LicenseKeyVerifier.Result result = offline.verify(key, Instant.now());

        assertTrue(result.valid(), result.reason().code());
        assertEquals(publicKey.path("key_id"), result.claims().keyId());
        assertEquals(TENANT, result.claims().tenantId());
        assertEquals("isp-core", result.claims().productCode());
    }

    @Test
    void monthlyLicensesRunOneCalendarMonth() {
        String customer = customer();
        String quote = paid(quote(customer, "monthly", usualItems()));
        var issued = post(SERVICE, PATH, issueBody(customer, quote, "monthly")).statusCode(201)
                .body("licenses.billing_cycle", everyItem(equalTo("monthly"))).extract();
        Instant issuedAt = Instant.parse(issued.path("licenses[0].issued_at"));
        assertEquals(issuedAt.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant().plus(grace()),
                Instant.parse(issued.path("licenses[0].expires_at")));
    }

    @Test
    void issuingTwiceForOneSourceIsOneSet() {
        String customer = customer();
        String source = paidQuote(customer);
        var first = issue(customer, source);
        var again = post(SERVICE, PATH, issueBody(customer, source, null)).statusCode(200).extract();

        assertEquals(first.<List<String>>path("licenses.id"), again.<List<String>>path("licenses.id"));
        assertEquals(first.<List<String>>path("licenses.license_key"), again.<List<String>>path("licenses.license_key"));
        get(READER, PATH + "?customer_id=" + customer).statusCode(200).body("total", equalTo(2)).body("items", hasSize(2));
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswer() {
        String customer = customer();
        String body = issueBody(customer, paidQuote(customer), null);
        String key = "exec-" + UUID.randomUUID() + ":issue_license";
        var first = given().auth().oauth2(SERVICE).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(PATH).then().statusCode(201).extract();
        var replay = given().auth().oauth2(SERVICE).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post(PATH).then().statusCode(201).header("Idempotent-Replayed", "true").extract();

        assertEquals(first.<List<String>>path("licenses.id"), replay.<List<String>>path("licenses.id"));
        // The same key for another request is refused.
        given().auth().oauth2(SERVICE).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(issueBody(customer, paidQuote(customer), null))
                .when().post(PATH).then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void concurrentIssuesForOneSourceMakeOneSet() throws Exception {
        String customer = customer();
        String source = paidQuote(customer);
        String body = issueBody(customer, source, null);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> post(SERVICE, PATH, body).extract());
            }
            List<Integer> statuses = new ArrayList<>();
            List<Object> sets = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> answer : pool.invokeAll(calls)) {
                statuses.add(answer.get().statusCode());
                sets.add(answer.get().path("licenses.id"));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(5, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(1, sets.stream().distinct().count(), sets.toString());
        } finally {
            pool.shutdownNow();
        }
        get(READER, PATH + "?customer_id=" + customer).statusCode(200).body("total", equalTo(2));
    }

    @Test
    void theSameSourceWithOtherProductsIsAConflict() {
        String customer = customer();
        Map<String, Object> quote = quote(customer);
        String source = paid(quote);
        issue(customer, source);
        String otherProducts = """
                {"customer_id": "%s", "source_id": "%s", "products": [{"product_code": "isp-core", "quantity": 2}]}"""
                .formatted(customer, source);
        // Not what the quote bought: refused before the set is looked at.
        post(SERVICE, PATH, otherProducts).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("isp-core=2"));

        // Should crm-service's quote say otherwise later (and be paid), the set issued stays what it is.
        Map<String, Object> changed = new HashMap<>(quote);
        changed.put("items", List.of(CrmStub.crmQuoteItem("isp-core", "ISP Core Platform", 2, "299.00")));
        changed.put("total_amount", new BigDecimal("598.00"));
        paid(CrmStub.serve(changed));
        post(SERVICE, PATH, otherProducts)
                .statusCode(409).contentType("application/problem+json").body("detail", containsString(source));
        get(READER, PATH + "?customer_id=" + customer).statusCode(200).body("total", equalTo(2));
    }

    @Test
    void linesOfOneProductAddUp() {
        String customer = customer();
        String quote = paid(quote(customer, "annual", List.of(CrmStub.crmQuoteItem("support-desk", "Support Desk (per seat)", 5, "33.33"))));
        post(SERVICE, PATH, """
                {"customer_id": "%s", "source_id": "%s", "products": [
                  {"product_code": "support-desk", "quantity": 3}, {"product_code": "support-desk", "quantity": 2}]}"""
                .formatted(customer, quote))
                .statusCode(201).body("licenses", hasSize(1)).body("licenses[0].seats", equalTo(5));
    }

    @Test
    void anUnknownProductCodeIsNamed() {
        String customer = customer();
        String quote = paid(quote(customer, "annual", List.of(CrmStub.crmQuoteItem("isp-core", "ISP Core Platform", 1, "299.00"),
                CrmStub.crmQuoteItem("teleporter", "Teleporter", 1, "1.00"))));
        post(SERVICE, PATH, """
                {"customer_id": "%s", "source_id": "%s", "products": [
                  {"product_code": "isp-core", "quantity": 1}, {"product_code": "teleporter", "quantity": 1}]}"""
                .formatted(customer, quote))
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("teleporter"));
        get(READER, PATH + "?customer_id=" + customer).statusCode(200).body("total", equalTo(0));
    }

    @Test
    void invalidRequestsNameTheField() {
        post(SERVICE, PATH, """
                {"source_id": "s-1", "products": [{"product_code": "isp-core", "quantity": 1}]}""")
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("customer_id"));
        post(SERVICE, PATH, """
                {"customer_id": "c", "source_id": "s-1", "products": [{"product_code": "isp-core", "quantity": 0}]}""")
                .statusCode(400).body("detail", containsString("products[0].quantity"));
        post(SERVICE, PATH, """
                {"customer_id": "c", "source_id": "s-1", "products": []}""")
                .statusCode(400).body("detail", containsString("products"));
        post(SERVICE, PATH, """
                {"customer_id": "c", "source_id": "s-1", "billing_cycle": "weekly", "products": [{"product_code": "isp-core", "quantity": 1}]}""")
                .statusCode(400).body("detail", containsString("billing_cycle"));
        post(null, PATH + "/verify", "{}").statusCode(400).body("detail", containsString("key"));
    }

    @Test
    void aKeyWithOneByteChangedIsABadSignature() {
        String key = issueNew().path("licenses[0].license_key");
        String[] parts = key.split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
        String json = new String(payload, StandardCharsets.UTF_8);
        payload[json.indexOf("\"seats\":1") + "\"seats\":".length()] = '9';
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];

        verify(forged).body("valid", equalTo(false)).body("reason", equalTo("bad_signature"))
                .body("license_id", nullValue()).body("customer_id", nullValue());
        verify("certainly-not-a-key").body("valid", equalTo(false)).body("reason", equalTo("malformed"));
    }

    @Test
    void aWellSignedKeyForNoStoredLicenseIsUnknown() {
        // Signed with this deployment's (test) key, as another database of the same issuer would have.
        LicenseSigner signer = TestKeys.signer();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String key = signer.sign(new LicenseKeyVerifier.Claims(null, id, "vendor-elsewhere", "elsewhere", "isp-core", 1,
                List.of(), now, now.plus(30, ChronoUnit.DAYS)));

        // What the key says, the tenant too.
        verify(key).body("valid", equalTo(false)).body("reason", equalTo("unknown"))
                .body("license_id", equalTo(id.toString())).body("tenant_id", equalTo("vendor-elsewhere"))
                .body("customer_id", equalTo("elsewhere"));
        // A key of the first format names no tenant.
        verify(TestKeys.firstFormatKey(id, "elsewhere", "isp-core", 1, now, now.plus(30, ChronoUnit.DAYS)))
                .body("reason", equalTo("unknown")).body("tenant_id", nullValue()).body("customer_id", equalTo("elsewhere"));
    }

    @Test
    void aKeyIssuedBeforeKeysNamedTheirTenantVerifiesWithTheStoredLicensesTenant() {
        var issued = issueNew();
        UUID id = UUID.fromString(issued.path("licenses[0].id"));
        String customer = issued.path("customer_id");
        String oldKey = TestKeys.firstFormatKey(id, customer, "isp-core", 1, Instant.parse(issued.path("licenses[0].issued_at")),
                Instant.parse(issued.path("licenses[0].expires_at")));
        // The license as it was stored then: with a key of the first format.
        database.preparedQuery("UPDATE licenses SET license_key = $1 WHERE id = $2").execute(Tuple.of(oldKey, id))
                .await().indefinitely();

        verify(oldKey).body("valid", equalTo(true)).body("reason", equalTo("valid"))
                .body("license_id", equalTo(id.toString())).body("tenant_id", equalTo(TENANT))
                .body("customer_id", equalTo(customer));
    }

    @Test
    void revokedKeysVerifyAsRevokedAndRevocationIsFinal() {
        var issued = issueNew();
        String id = issued.path("licenses[0].id");
        String key = issued.path("licenses[0].license_key");

        post(ADMIN, PATH + "/" + id + "/revoke", "").statusCode(200).body("status", equalTo("revoked"));
        verify(key).body("valid", equalTo(false)).body("reason", equalTo("revoked")).body("license_id", equalTo(id));

        post(ADMIN, PATH + "/" + id + "/revoke", "").statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("revoked"));
        post(ADMIN, PATH + "/" + id + "/suspend", "").statusCode(409).body("detail", containsString("it is revoked"));
        // No hold to lift: nothing changes.
        post(ADMIN, PATH + "/" + id + "/reinstate", "").statusCode(200).body("status", equalTo("revoked")).body("holds", empty());
        // The other license of the set is untouched.
        verify(issued.path("licenses[1].license_key")).body("reason", equalTo("valid"));
    }

    @Test
    void suspendedKeysVerifyAsSuspendedUntilReinstated() {
        var issued = issueNew();
        String id = issued.path("licenses[0].id");
        String key = issued.path("licenses[0].license_key");

        post(OPERATOR, PATH + "/" + id + "/suspend", "").statusCode(200).body("status", equalTo("suspended"))
                .body("holds", equalTo(List.of("operator")));
        verify(key).body("valid", equalTo(false)).body("reason", equalTo("suspended"));
        post(OPERATOR, PATH + "/" + id + "/suspend", "").statusCode(200).body("holds", equalTo(List.of("operator")));

        post(OPERATOR, PATH + "/" + id + "/reinstate", "").statusCode(200).body("status", equalTo("active")).body("holds", empty());
        verify(key).body("valid", equalTo(true)).body("reason", equalTo("valid"));
        post(OPERATOR, PATH + "/" + id + "/reinstate", "").statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void expiredKeysVerifyAsExpired() {
        var issued = issueNew();
        String id = issued.path("licenses[0].id");
        database.preparedQuery("UPDATE licenses SET expires_at = now() - interval '1 day' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();

        verify(issued.path("licenses[0].license_key")).body("valid", equalTo(false)).body("reason", equalTo("expired"));
        get(READER, PATH + "/" + id).statusCode(200).body("status", equalTo("expired"));
        // Held by its stored status, whatever its expiry: a renewal would find it suspended.
        post(ADMIN, PATH + "/" + id + "/suspend", "").statusCode(200).body("status", equalTo("expired"))
                .body("holds", equalTo(List.of("operator")));
        verify(issued.path("licenses[0].license_key")).body("reason", equalTo("expired"));
    }

    @Test
    void listsArePagedAndScopedToTheTenant() {
        String customer = customer();
        issue(customer, paidQuote(customer));
        String id = issue(customer, paidQuote(customer)).path("licenses[0].id");

        get(READER, PATH + "?customer_id=" + customer + "&size=3").statusCode(200)
                .body("total", equalTo(4)).body("items", hasSize(3)).body("page", equalTo(0)).body("size", equalTo(3));
        get(READER, PATH + "?customer_id=" + customer + "&size=3&page=1").statusCode(200).body("items", hasSize(1));
        get(READER, PATH + "?size=0").statusCode(400).contentType("application/problem+json");

        String other = TestTokens.token(OTHER_TENANT, "admin");
        get(other, PATH + "?customer_id=" + customer).statusCode(200).body("total", equalTo(0));
        get(other, PATH + "/" + id).statusCode(404).contentType("application/problem+json");
        post(other, PATH + "/" + id + "/revoke", "").statusCode(404);
        get(READER, PATH + "/" + UUID.randomUUID()).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void onlyVerifyAndThePublicKeyArePublic() {
        given().when().get(PATH + "/public-key").then().statusCode(200)
                .body("key_id", containsString("ed25519-")).body("public_key_pem", containsString("BEGIN PUBLIC KEY"));
        post(null, PATH, issueBody(customer(), "s", null)).statusCode(401).contentType("application/problem+json");
        given().when().get(PATH + "?customer_id=x").then().statusCode(401);
        given().when().get(PATH + "/" + UUID.randomUUID()).then().statusCode(401);
        post(null, PATH + "/" + UUID.randomUUID() + "/revoke", "").statusCode(401);

        // Readers read; issuing and revoking need more.
        post(READER, PATH, issueBody(customer(), "s", null)).statusCode(403).contentType("application/problem+json");
        post(TestTokens.token(TENANT, "operator"), PATH + "/" + UUID.randomUUID() + "/revoke", "").statusCode(403);
    }

    @Test
    void theServedPublicKeyIsTheTestKey() {
        Map<String, String> served = given().get(PATH + "/public-key").then().statusCode(200).extract().jsonPath().getMap("");
        assertEquals(LicenseKeyVerifier.fromPem(TestKeys.PUBLIC_PEM).keyId(), served.get("key_id"));
    }

    @Test
    void anIssuedSetCountsInTheFunnelOnce() {
        double licensed = Metrics.funnel("licensed");
        String customer = customer();
        String source = paidQuote(customer);
        post(SERVICE, PATH, issueBody(customer, source, null)).statusCode(201);
        post(SERVICE, PATH, issueBody(customer, source, null)).statusCode(200);
        assertEquals(licensed + 1, Metrics.funnel("licensed"));
    }
}
