package io.dotmac.crm.quote.rest;

import static io.dotmac.crm.CrmApi.as;
import static io.dotmac.crm.CrmApi.createLead;
import static io.dotmac.crm.CrmApi.draftQuote;
import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.lead;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.qualifiedLead;
import static io.dotmac.crm.CrmApi.sentQuote;
import static io.dotmac.crm.CrmApi.tokenOf;
import static io.dotmac.crm.CrmApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Quotes over HTTP: generation and exact pricing, every transition legal and illegal, expiry, tenancy, idempotency. */
@QuarkusTest
class QuoteResourceTest {

    final String tenant = newTenant();
    final String token = tokenOf(tenant);

    @Inject
    Pool pool;

    static String path(String quote, String action) {
        return "/api/v1/crm/quotes/" + quote + "/" + action;
    }

    @Test
    void aQualifiedLeadIsQuotedAtExactCatalogPrices() {
        Map<String, Object> body = lead("isp-core", 1, "support-desk", 3);
        String leadId = createLead(token, body);
        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(200);

        String id = post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of()).statusCode(201)
                .header("Location", containsString("/api/v1/crm/quotes/"))
                .body("quote_number", matchesPattern("^Q-\\d{6,}$"))
                .body("lead_id", equalTo(leadId))
                .body("status", equalTo("draft"))
                .body("currency", equalTo("USD"))
                .body("billing_cycle", equalTo("monthly"))
                .body("items.product_code", contains("isp-core", "support-desk"))
                .body("items.product_name", contains("ISP Core Platform", "Support Desk (per seat)"))
                .body("items.quantity", contains(1, 3))
                .body("items.unit_price", contains(new BigDecimal("299.00"), new BigDecimal("33.33")))
                .body("items.line_total", contains(new BigDecimal("299.00"), new BigDecimal("99.99")))
                .body("total_amount", equalTo(new BigDecimal("398.99")))
                .body("customer_email", equalTo(body.get("customer_email")))
                .body("customer_name", equalTo("Ada Lovelace"))
                .body("company_name", equalTo("Analytical Networks"))
                .body("organization_slug", equalTo(body.get("organization_slug")))
                .body("region", equalTo("eu-west"))
                .body("valid_until", equalTo(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString()))
                .body("sent_at", nullValue())
                .body("accepted_at", nullValue())
                .extract().path("id");

        // As stored: read back, the amounts are the same exact decimals.
        get(token, "/api/v1/crm/quotes/" + id).statusCode(200)
                .body("total_amount", equalTo(new BigDecimal("398.99")))
                .body("items[1].line_total", equalTo(new BigDecimal("99.99")))
                .body("items[1].unit_price", equalTo(new BigDecimal("33.33")));
        String json = as(token).when().get("/api/v1/crm/quotes/" + id).asString();
        assertTrue(json.contains("\"total_amount\":398.99"), json);
        assertTrue(json.contains("\"unit_price\":299.00"), json);
    }

    @Test
    void threeSeatsAt3333AreExactly9999() {
        String quote = draftQuote(token, qualifiedLead(token, "support-desk", 3));
        get(token, "/api/v1/crm/quotes/" + quote).statusCode(200)
                .body("items[0].line_total", equalTo(new BigDecimal("99.99")))
                .body("total_amount", equalTo(new BigDecimal("99.99")));
    }

    @Test
    void quoteNumbersAreUniqueAndALeadListsItsQuotesNewestFirst() {
        String leadId = qualifiedLead(token, "billing-suite", 2);
        String first = draftQuote(token, leadId);
        String second = draftQuote(token, leadId);
        String firstNumber = get(token, "/api/v1/crm/quotes/" + first).extract().path("quote_number");
        String secondNumber = get(token, "/api/v1/crm/quotes/" + second).extract().path("quote_number");
        assertNotEquals(firstNumber, secondNumber);

        get(token, "/api/v1/crm/leads/" + leadId + "/quotes").statusCode(200)
                .body("items.id", contains(second, first))
                .body("items.total_amount", contains(new BigDecimal("298.00"), new BigDecimal("298.00")))
                .body("total", equalTo(2));
        get(token, "/api/v1/crm/leads/" + leadId + "/quotes?size=1&page=1").statusCode(200).body("items.id", contains(first));
        get(token, "/api/v1/crm/leads/" + UUID.randomUUID() + "/quotes").statusCode(404).contentType("application/problem+json");
    }

    @Test
    void onlyAQualifiedLeadIsQuoted() {
        String fresh = createLead(token, lead("isp-core", 1));
        post(token, "/api/v1/crm/leads/" + fresh + "/quotes", Map.of()).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is new; only a qualified lead can be quoted"));

        Map<String, Object> bad = lead("isp-core", 1);
        bad.put("region", "mars-north");
        String disqualified = createLead(token, bad);
        post(token, "/api/v1/crm/leads/" + disqualified + "/qualify", Map.of()).statusCode(200).body("status", equalTo("disqualified"));
        post(token, "/api/v1/crm/leads/" + disqualified + "/quotes", Map.of()).statusCode(409)
                .body("detail", containsString("is disqualified"));
        get(token, "/api/v1/crm/leads/" + disqualified + "/quotes").statusCode(200).body("total", equalTo(0));
    }

    @Test
    void draftSentAccepted() {
        String leadId = qualifiedLead(token, "isp-core", 1);
        String quote = draftQuote(token, leadId);

        post(token, path(quote, "send"), Map.of()).statusCode(200)
                .body("status", equalTo("sent")).body("sent_at", notNullValue()).body("accepted_at", nullValue());
        post(token, path(quote, "accept"), Map.of()).statusCode(200)
                .body("status", equalTo("accepted"))
                .body("accepted_at", notNullValue())
                .body("accepted_by", equalTo("test-user@" + tenant));
        get(token, "/api/v1/crm/quotes/" + quote).statusCode(200).body("status", equalTo("accepted"));
        // The lead became a customer.
        var converted = get(token, "/api/v1/crm/leads/" + leadId).statusCode(200).body("status", equalTo("converted")).extract();
        assertEquals(converted.<String>path("organization_slug"), converted.<String>path("customer_id"));
        post(token, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of()).statusCode(409)
                .body("detail", containsString("is converted"));
        post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of()).statusCode(409)
                .body("detail", containsString("is converted"));
    }

    @Test
    void acceptRecordsWhoTheBodyNamesAndTakesNoBodyAtAll() {
        String named = sentQuote(token, "isp-core", 1);
        post(token, path(named, "accept"), Map.of("accepted_by", "ada@example.net")).statusCode(200)
                .body("accepted_by", equalTo("ada@example.net"));

        String bare = sentQuote(token, "isp-core", 1);
        as(token).when().post(path(bare, "accept")).then().statusCode(200).body("accepted_by", equalTo("test-user@" + tenant));

        String empty = sentQuote(token, "isp-core", 1);
        as(token).contentType(ContentType.JSON).when().post(path(empty, "accept")).then().statusCode(200)
                .body("status", equalTo("accepted"));
    }

    @Test
    void sentRejectedWithTheReason() {
        String quote = sentQuote(token, "customer-portal", 1);
        post(token, path(quote, "reject"), Map.of()).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("reason"));
        post(token, path(quote, "reject"), Map.of("reason", "Chose another vendor")).statusCode(200)
                .body("status", equalTo("rejected"))
                .body("rejection_reason", equalTo("Chose another vendor"))
                .body("rejected_at", notNullValue());
    }

    @Test
    void everyIllegalTransitionIs409WithTheCurrentStatus() {
        String draft = draftQuote(token, qualifiedLead(token, "isp-core", 1));
        assertRefused(draft, "accept", "draft");
        assertRefused(draft, "reject", "draft");

        String sent = sentQuote(token, "isp-core", 1);
        assertRefused(sent, "send", "sent");

        String accepted = sentQuote(token, "isp-core", 1);
        post(token, path(accepted, "accept"), Map.of()).statusCode(200);
        assertRefused(accepted, "send", "accepted");
        assertRefused(accepted, "accept", "accepted");
        assertRefused(accepted, "reject", "accepted");

        String rejected = sentQuote(token, "isp-core", 1);
        post(token, path(rejected, "reject"), Map.of("reason", "Too expensive")).statusCode(200);
        assertRefused(rejected, "send", "rejected");
        assertRefused(rejected, "accept", "rejected");
        assertRefused(rejected, "reject", "rejected");

        // What was refused changed nothing.
        get(token, "/api/v1/crm/quotes/" + draft).statusCode(200).body("status", equalTo("draft"));
        get(token, "/api/v1/crm/quotes/" + rejected).statusCode(200).body("status", equalTo("rejected"))
                .body("rejection_reason", equalTo("Too expensive")).body("accepted_at", nullValue());
    }

    private void assertRefused(String quote, String action, String status) {
        Object body = action.equals("reject") ? Map.of("reason", "no") : Map.of();
        post(token, path(quote, action), body).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(" is " + status + ";"));
    }

    @Test
    void aQuotePastItsValidityIsExpiredAndCannotBeAcceptedOrSent() {
        String sent = sentQuote(token, "isp-core", 1);
        String draft = draftQuote(token, qualifiedLead(token, "isp-core", 1));
        pastValidity(sent);
        pastValidity(draft);

        get(token, "/api/v1/crm/quotes/" + sent).statusCode(200).body("status", equalTo("expired"));
        post(token, path(sent, "accept"), Map.of()).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is expired"));
        post(token, path(draft, "send"), Map.of()).statusCode(409).body("detail", containsString("is expired"));
        assertRefused(sent, "reject", "expired");
        // The expiry is stored, though the transition was refused.
        assertEquals("expired", storedStatus(sent));
        assertEquals("expired", storedStatus(draft));
        assertEquals(0L, outboxRows(sent));
    }

    private void pastValidity(String quote) {
        pool.preparedQuery("UPDATE quotes SET valid_until = current_date - 1 WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(quote))).await().atMost(Duration.ofSeconds(10));
    }

    private String storedStatus(String quote) {
        return pool.preparedQuery("SELECT status FROM quotes WHERE id = $1").execute(Tuple.of(UUID.fromString(quote)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    private long outboxRows(String quote) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_events WHERE event_key = $1").execute(Tuple.of(quote))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @Test
    void onlyOneQuoteOfALeadIsAccepted() {
        String leadId = qualifiedLead(token, "isp-core", 1);
        String first = draftQuote(token, leadId);
        String second = draftQuote(token, leadId);
        post(token, path(first, "send"), Map.of()).statusCode(200);
        post(token, path(second, "send"), Map.of()).statusCode(200);

        post(token, path(first, "accept"), Map.of()).statusCode(200);
        post(token, path(second, "accept"), Map.of()).statusCode(409).body("detail", containsString("is converted"));
        get(token, "/api/v1/crm/quotes/" + second).statusCode(200).body("status", equalTo("sent"));
        assertEquals(0L, outboxRows(second));
    }

    @Test
    void anotherTenantGets404() {
        String quote = sentQuote(token, "isp-core", 1);
        String other = tokenOf(newTenant());
        get(other, "/api/v1/crm/quotes/" + quote).statusCode(404).contentType("application/problem+json")
                .body("detail", containsString(quote));
        post(other, path(quote, "send"), Map.of()).statusCode(404);
        post(other, path(quote, "accept"), Map.of()).statusCode(404);
        post(other, path(quote, "reject"), Map.of("reason", "not mine")).statusCode(404);
        get(token, "/api/v1/crm/quotes/" + quote).statusCode(200).body("status", equalTo("sent"));

        get(token, "/api/v1/crm/quotes/" + UUID.randomUUID()).statusCode(404);
        get(token, "/api/v1/crm/quotes/Q-000001").statusCode(404).contentType("application/problem+json");
    }

    @Test
    void withoutATokenIs401ProblemJson() {
        String quote = sentQuote(token, "isp-core", 1);
        get(null, "/api/v1/crm/quotes/" + quote).statusCode(401).contentType("application/problem+json");
        post(null, path(quote, "accept"), Map.of()).statusCode(401).contentType("application/problem+json");
        get(null, "/api/v1/crm/products").statusCode(401).contentType("application/problem+json");
        get(token, "/api/v1/crm/quotes/" + quote).statusCode(200).body("status", equalTo("sent"));
    }

    @Test
    void transitionsReplayUnderTheSameIdempotencyKey() {
        String leadId = qualifiedLead(token, "isp-core", 1);
        String generateKey = unique("generate");
        String quote = post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of(), generateKey).statusCode(201)
                .extract().path("id");
        post(token, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of(), generateKey).statusCode(201)
                .header("Idempotent-Replayed", "true").body("id", equalTo(quote))
                .body("total_amount", equalTo(new BigDecimal("299.00")));
        get(token, "/api/v1/crm/leads/" + leadId + "/quotes").statusCode(200).body("items", hasSize(1));

        String sendKey = unique("send");
        post(token, path(quote, "send"), Map.of(), sendKey).statusCode(200);
        post(token, path(quote, "send"), Map.of(), sendKey).statusCode(200).header("Idempotent-Replayed", "true")
                .body("status", equalTo("sent"));

        String acceptKey = unique("accept");
        var accepted = post(token, path(quote, "accept"), Map.of("accepted_by", "ada@example.net"), acceptKey).statusCode(200).extract();
        post(token, path(quote, "accept"), Map.of("accepted_by", "ada@example.net"), acceptKey).statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("status", equalTo("accepted"))
                .body("accepted_at", equalTo(accepted.path("accepted_at")));
        // Without the key, a second acceptance is what it is: illegal.
        post(token, path(quote, "accept"), Map.of("accepted_by", "ada@example.net")).statusCode(409);
        assertEquals(1L, outboxRows(quote));

        // The same key with another body, or for another quote, is 422.
        post(token, path(quote, "accept"), Map.of("accepted_by", "someone-else"), acceptKey).statusCode(422)
                .contentType("application/problem+json");
        String another = sentQuote(token, "isp-core", 1);
        post(token, path(another, "send"), Map.of(), sendKey).statusCode(422);
        get(token, "/api/v1/crm/quotes/" + another).statusCode(200).body("status", equalTo("sent"));
    }

    /** Exactly how the workflow engine's crm_service operations call: a service token, body {}, a key per step. */
    @Test
    void theWorkflowEnginesCalls() {
        String service = TestTokens.engine(tenant);
        String leadId = createLead(token, lead("isp-core", 1, "support-desk", 3));
        String execution = UUID.randomUUID().toString();

        post(service, "/api/v1/crm/leads/" + leadId + "/qualify", Map.of(), execution + ":qualify_lead").statusCode(200)
                .body("status", equalTo("qualified"));
        String quote = post(service, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of(), execution + ":generate_quote")
                .statusCode(201).body("status", equalTo("draft")).extract().path("id");
        // A retry of the step after a lost answer gets the same quote, not a second one.
        post(service, "/api/v1/crm/leads/" + leadId + "/quotes", Map.of(), execution + ":generate_quote")
                .statusCode(201).body("id", equalTo(quote));
        get(service, "/api/v1/crm/leads/" + leadId).statusCode(200).body("status", equalTo("qualified"));
        get(service, "/api/v1/crm/quotes/" + quote).statusCode(200)
                .body("id", equalTo(quote)).body("status", not(equalTo("accepted")))
                .body("total_amount", equalTo(new BigDecimal("398.99")))
                .body("items", hasSize(2)).body("organization_slug", notNullValue()).body("customer_email", notNullValue());
    }

    @Test
    void eachStageOfTheJourneyCountsInTheFunnel() {
        double leads = Metrics.funnel("lead");
        double quotes = Metrics.funnel("quote");
        double accepted = Metrics.funnel("accepted");
        String quote = sentQuote(token, "isp-core", 1);
        post(token, "/api/v1/crm/quotes/" + quote + "/accept", Map.of()).statusCode(200);
        assertEquals(leads + 1, Metrics.funnel("lead"));
        assertEquals(quotes + 1, Metrics.funnel("quote"));
        assertEquals(accepted + 1, Metrics.funnel("accepted"));
    }
}
