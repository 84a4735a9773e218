package io.dotmac.sales.slug;

import static io.dotmac.sales.testing.SalesApi.as;
import static io.dotmac.sales.testing.SalesApi.createFromQuote;
import static io.dotmac.sales.testing.SalesApi.submit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Organization slugs reserved platform-wide over HTTP against the real database: a lead's
 * reservation keeps every other vendor tenant's leads (and orders) from the slug while it is in
 * force, asking again extends it, an expired one is free, a held-for-good one cannot be released.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class SlugReservationApiTest {

    static final String PATH = "/api/v1/sales/slug-reservations/";

    final String tenant = "slug-" + UUID.randomUUID().toString().substring(0, 8);
    final String other = "slug-" + UUID.randomUUID().toString().substring(0, 8);
    final String token = TestTokens.engine(tenant);
    final String otherToken = TestTokens.token(other, "operator");
    // Reading a reservation is for people; the engine only reserves and releases.
    final String reader = TestTokens.token(tenant, "reader");

    @Inject
    Pool database;

    private static ValidatableResponse reserve(String token, String slug, String leadId, OffsetDateTime until) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lead_id", leadId);
        body.put("expires_at", until == null ? null : until.toString());
        return as(token).contentType(ContentType.JSON).body(body).when().put(PATH + slug).then();
    }

    private static OffsetDateTime inDays(int days) {
        return OffsetDateTime.now(ZoneOffset.UTC).plusDays(days).withNano(0);
    }

    @Test
    void aReservedSlugIsTakenForEveryOtherLeadOfAnyTenantWithoutSayingWhose() {
        String slug = TestQuotes.slug();
        reserve(token, slug, "lead-1", inDays(30)).statusCode(200).body("slug", equalTo(slug)).body("lead_id", equalTo("lead-1"));

        reserve(otherToken, slug, "lead-9", inDays(30)).statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("organization slug '" + slug + "' is taken"));
        reserve(token, slug, "lead-2", inDays(30)).statusCode(409);
        as(otherToken).when().get(PATH + slug).then().statusCode(404);
        as(reader).when().get(PATH + slug).then().statusCode(200).body("lead_id", equalTo("lead-1"));
    }

    @Test
    void askingAgainExtendsNeverShortensAndForGoodStaysForGood() {
        String slug = TestQuotes.slug();
        OffsetDateTime month = inDays(30);
        reserve(token, slug, "lead-1", month).statusCode(200);
        reserve(token, slug, "lead-1", inDays(1)).statusCode(200);
        OffsetDateTime stored = OffsetDateTime.parse(as(reader).when().get(PATH + slug).then().extract().path("expires_at"));
        org.junit.jupiter.api.Assertions.assertEquals(month.toInstant(), stored.toInstant());

        reserve(token, slug, "lead-1", null).statusCode(200).body("expires_at", nullValue());
        reserve(token, slug, "lead-1", inDays(5)).statusCode(200).body("expires_at", nullValue());
        as(token).when().delete(PATH + slug + "?lead_id=lead-1").then().statusCode(409)
                .body("detail", containsString("held for good"));
    }

    @Test
    void anExpiredReservationIsFreeForTheNextAndAReleasedOneToo() {
        String slug = TestQuotes.slug();
        reserve(token, slug, "lead-1", inDays(2)).statusCode(200);
        database.preparedQuery("UPDATE slug_reservations SET expires_at = now() - interval '1 minute' WHERE slug = $1")
                .execute(Tuple.of(slug)).await().atMost(Duration.ofSeconds(10));
        reserve(otherToken, slug, "lead-9", inDays(2)).statusCode(200).body("lead_id", equalTo("lead-9"));

        as(otherToken).when().delete(PATH + slug + "?lead_id=lead-8").then().statusCode(404);
        as(otherToken).when().delete(PATH + slug + "?lead_id=lead-9").then().statusCode(204);
        reserve(token, slug, "lead-1", inDays(2)).statusCode(200);
    }

    @Test
    void ofTenLeadsReservingOneFreeSlugAtOnceOneHoldsIt() {
        String slug = TestQuotes.slug();
        var answers = IntStream.range(0, 10).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                reserve(TestTokens.engine("slug-race-" + i + "-" + slug), slug, "lead-" + i, inDays(3))
                        .extract().statusCode())).toList().stream().map(CompletableFuture::join).toList();
        org.junit.jupiter.api.Assertions.assertEquals(1, answers.stream().filter(code -> code == 200).count(), answers.toString());
        org.junit.jupiter.api.Assertions.assertEquals(9, answers.stream().filter(code -> code == 409).count(), answers.toString());
    }

    @Test
    void badRequestsAreRefusedAndAReaderCannotReserve() {
        reserve(token, "Not_A_Slug", "lead-1", inDays(1)).statusCode(400).body("detail", containsString("slug"));
        reserve(token, TestQuotes.slug(), "lead-1", inDays(-1)).statusCode(400).body("detail", containsString("expires_at"));
        as(token).contentType(ContentType.JSON).body(Map.of()).when().put(PATH + TestQuotes.slug()).then().statusCode(400);
        reserve(TestTokens.token(tenant, "reader"), TestQuotes.slug(), "lead-1", inDays(1)).statusCode(403);
        as(token).when().delete(PATH + TestQuotes.slug()).then().statusCode(400).body("detail", containsString("lead_id"));
    }

    @Test
    void anOrderForASlugAnotherTenantsLeadHoldsIsNotProvisioned() {
        String slug = TestQuotes.slug();
        reserve(otherToken, slug, "lead-9", inDays(30)).statusCode(200);
        Map<String, Object> quote = TestQuotes.accepted(slug);
        PeerServicesStub.serve(quote);
        PeerServicesStub.paid(quote);
        String orderId = createFromQuote(token, (String) quote.get("id")).statusCode(201).extract().path("id");

        submit(token, orderId, true).statusCode(409).body("detail", containsString("organization slug '" + slug + "'"));
        as(token).when().get("/api/v1/sales/orders/" + orderId).then().statusCode(200)
                .body("status", equalTo("failed")).body("tenant", nullValue());
    }

    @Test
    void aNameHeldForGoodIsFreedOnlyForItsQuoteThatWasNeverPaid() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String quoteId = (String) quote.get("id");
        reserve(token, slug, "lead-1", null).statusCode(200);
        String unpaid = PATH + slug + "?lead_id=lead-1&unpaid_quote=" + quoteId;

        // While billing has the payment pending, or no payment at all: held.
        PeerServicesStub.payment(quoteId, "pending", new BigDecimal("665.33"), "USD");
        as(token).when().delete(unpaid).then().statusCode(409)
                .body("detail", equalTo("Slug '" + slug + "' stays held: the payment of quote " + quoteId + " is pending, not failed"));
        PeerServicesStub.noPayment(quoteId);
        as(token).when().delete(unpaid).then().statusCode(409);
        as(token).when().delete(PATH + slug + "?lead_id=lead-1&unpaid_quote=" + "q".repeat(101)).then().statusCode(400);
        as(reader).when().delete(unpaid).then().statusCode(403);

        // Failed: freed once; another lead may have it then.
        PeerServicesStub.payment(quoteId, "failed", new BigDecimal("665.33"), "USD");
        as(otherToken).when().delete(PATH + slug + "?lead_id=lead-1&unpaid_quote=" + quoteId).then().statusCode(404);
        as(token).when().delete(PATH + slug + "?lead_id=lead-2&unpaid_quote=" + quoteId).then().statusCode(404);
        as(token).when().delete(unpaid).then().statusCode(204);
        as(token).when().delete(unpaid).then().statusCode(404);
        reserve(otherToken, slug, "lead-9", inDays(3)).statusCode(200);
    }

    @Test
    void aNameWhoseQuoteHasAnOrderIsNeverFreedAsUnpaid() {
        String slug = TestQuotes.slug();
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String quoteId = (String) quote.get("id");
        reserve(token, slug, "lead-1", null).statusCode(200);
        SalesApi.paidOrder(token, quote);
        // A payment refunded or failed after the order was made does not free the customer's name.
        PeerServicesStub.payment(quoteId, "failed", new BigDecimal("665.33"), "USD");
        as(token).when().delete(PATH + slug + "?lead_id=lead-1&unpaid_quote=" + quoteId).then().statusCode(409)
                .body("detail", containsString("has order"));
        as(reader).when().get(PATH + slug).then().statusCode(200).body("lead_id", equalTo("lead-1"));
    }
}
