package io.dotmac.crm.quote.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.crm.CrmApi.cart;
import static io.dotmac.crm.CrmApi.get;
import static io.dotmac.crm.CrmApi.line;
import static io.dotmac.crm.CrmApi.newTenant;
import static io.dotmac.crm.CrmApi.post;
import static io.dotmac.crm.CrmApi.sentQuote;
import static io.dotmac.crm.CrmApi.tokenOf;
import static io.dotmac.crm.CrmApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.crm.testing.SalesStub;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The shop's checkout in crm (POST /api/v1/crm/quotes/from-cart), called as the workflow engine
 * calls it: a cart becomes a lead from the shop and an accepted quote priced from crm's own
 * catalog, once per cart however often or concurrently it is called, and the cart's figures are only
 * checked against the quote.
 */
@QuarkusTest
class QuoteFromCartTest {

    static final String FROM_CART = "/api/v1/crm/quotes/from-cart";
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    final String tenant = newTenant();
    final String engine = TestTokens.engine(tenant);

    @Inject
    Pool pool;

    private long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(List.of(parameters))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    private long leadsOf(String tenantId, Object cartId) {
        return count("SELECT count(*) FROM leads WHERE tenant_id = $1 AND source_ref = $2", tenantId, cartId.toString());
    }

    private long quotesOf(String tenantId, Object cartId) {
        return count("SELECT count(*) FROM quotes q JOIN leads l ON l.id = q.lead_id WHERE l.tenant_id = $1 AND l.source_ref = $2",
                tenantId, cartId.toString());
    }

    private long acceptedOf(String tenantId, Object cartId) {
        return count("SELECT count(*) FROM quotes q JOIN leads l ON l.id = q.lead_id WHERE l.tenant_id = $1 AND l.source_ref = $2"
                + " AND q.status = 'accepted'", tenantId, cartId.toString());
    }

    private long eventsOf(String quoteId) {
        return count("SELECT count(*) FROM outbox_events WHERE event_key = $1", quoteId);
    }

    private long eventsOfCart(String tenantId, Object cartId) {
        return count("SELECT count(*) FROM outbox_events o JOIN quotes q ON o.event_key = CAST(q.id AS text)"
                + " JOIN leads l ON l.id = q.lead_id WHERE l.tenant_id = $1 AND l.source_ref = $2", tenantId, cartId.toString());
    }

    private JsonNode eventData(String quoteId) throws Exception {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT CAST(payload AS text) FROM outbox_events WHERE event_key = $1").execute(Tuple.of(quoteId))
                .await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        assertEquals(1, rows.size());
        return JSON.readTree(rows.get(0).getString(0));
    }

    @Test
    void aCartBecomesALeadFromTheShopAndAnAcceptedQuoteWithItsEvent() throws Exception {
        Map<String, Object> cart = cart();
        String slug = (String) cart.get("organization_slug");

        var created = post(engine, FROM_CART, cart).statusCode(201)
                .header("Location", containsString("/api/v1/crm/quotes/"))
                .body("status", equalTo("accepted"))
                .body("cart_id", equalTo(cart.get("cart_id")))
                .body("kind", equalTo("new"))
                .body("currency", equalTo("USD"))
                .body("billing_cycle", equalTo("monthly"))
                .body("items.product_code", contains("isp-core", "support-desk"))
                .body("items.quantity", contains(2, 3))
                .body("items.unit_price", contains(new BigDecimal("299.00"), new BigDecimal("33.33")))
                .body("items.line_total", contains(new BigDecimal("598.00"), new BigDecimal("99.99")))
                .body("total_amount", equalTo(new BigDecimal("697.99")))
                .body("customer_email", equalTo(cart.get("customer_email")))
                .body("organization_slug", equalTo(slug))
                .body("sent_at", notNullValue())
                .body("accepted_at", notNullValue())
                // The customer accepted it by checking out.
                .body("accepted_by", equalTo(cart.get("customer_email")))
                .extract();
        String quote = created.path("id");
        String leadId = created.path("lead_id");

        // The quote reads the same as every quote, with its cart.
        get(engine, "/api/v1/crm/quotes/" + quote).statusCode(200).body("cart_id", equalTo(cart.get("cart_id")))
                .body("status", equalTo("accepted")).body("total_amount", equalTo(new BigDecimal("697.99")));
        get(engine, "/api/v1/crm/leads/" + leadId).statusCode(200)
                .body("source", equalTo("shop"))
                .body("source_ref", equalTo(cart.get("cart_id")))
                .body("owner", equalTo("shop"))
                .body("billing_cycle", equalTo("monthly"))
                .body("status", equalTo("converted"))
                .body("customer_id", equalTo(slug));

        // The slug was reserved at qualification, and held for good at the acceptance.
        List<LoggedRequest> reserved = SalesStub.server().findAll(putRequestedFor(urlPathEqualTo(SalesStub.reservationPath(slug))));
        assertEquals(3, reserved.size(), "qualification, the quote, the acceptance");
        assertEquals("Bearer " + engine, reserved.get(2).getHeader("Authorization"));
        assertTrue(JSON.readTree(reserved.get(2).getBodyAsString()).get("expires_at").isNull(), reserved.get(2).getBodyAsString());

        // One crm.quote.accepted in the outbox, saying it came from the cart.
        JsonNode data = eventData(quote);
        assertEquals("shop", data.get("source").asText());
        assertEquals(cart.get("cart_id"), data.get("cart_id").asText());
        assertEquals(quote, data.get("quote_id").asText());
        assertEquals(leadId, data.get("lead_id").asText());
        assertEquals(new BigDecimal("697.99"), data.get("total_amount").decimalValue());
        assertEquals("USD", data.get("currency").asText());
        assertEquals("monthly", data.get("billing_cycle").asText());
        assertEquals(2, data.get("items").size());
        assertEquals(tenant, data.get("tenant_id").asText());
    }

    @Test
    void theSameCartAgainIsTheSameAcceptedQuote() {
        Map<String, Object> cart = cart();
        String quote = post(engine, FROM_CART, cart).statusCode(201).extract().path("id");

        // Again (the engine's step retried after a lost answer, or the shop's double click): no second anything.
        post(engine, FROM_CART, cart).statusCode(200).body("id", equalTo(quote)).body("status", equalTo("accepted"));
        // Under an Idempotency-Key, the first answer is kept and replayed.
        String key = unique("checkout");
        post(engine, FROM_CART, cart, key).statusCode(200).body("id", equalTo(quote));
        post(engine, FROM_CART, cart, key).statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(quote));

        assertEquals(1, leadsOf(tenant, cart.get("cart_id")));
        assertEquals(1, quotesOf(tenant, cart.get("cart_id")));
        assertEquals(1, eventsOf(quote));
    }

    @Test
    void aCallThatFailsBetweenStepsIsResumedByTheNext() {
        Map<String, Object> cart = cart();
        String slug = (String) cart.get("organization_slug");
        // sales-service reserves the slug at qualification and for the quote, then is down when the
        // acceptance would hold it for good, then is back.
        String path = SalesStub.reservationPath(slug);
        String[] states = {Scenario.STARTED, "qualified", "quoted", "back"};
        for (int i = 0; i < states.length; i++) {
            SalesStub.server().stubFor(put(urlPathEqualTo(path)).inScenario(slug).whenScenarioStateIs(states[i])
                    .willReturn(states[i].equals("quoted") ? serverError() : okJson("{}"))
                    .willSetStateTo(states[Math.min(i + 1, states.length - 1)]));
        }

        post(engine, FROM_CART, cart).statusCode(503).body("detail", containsString("sales-service is unavailable"));
        assertEquals(1, quotesOf(tenant, cart.get("cart_id")));
        assertEquals(0, acceptedOf(tenant, cart.get("cart_id")));
        assertEquals(0, eventsOfCart(tenant, cart.get("cart_id")));

        // The engine's retry goes on from the qualified lead and its draft: only the acceptance is left.
        post(engine, FROM_CART, cart).statusCode(201).body("status", equalTo("accepted"));
        assertEquals(4, SalesStub.server().findAll(putRequestedFor(urlPathEqualTo(path))).size());
        assertEquals(1, leadsOf(tenant, cart.get("cart_id")));
        assertEquals(1, quotesOf(tenant, cart.get("cart_id")));
        assertEquals(1, eventsOfCart(tenant, cart.get("cart_id")));
    }

    @Test
    void concurrentCallsForOneCartMakeOneLeadOneQuoteAndOneEvent() throws Exception {
        Map<String, Object> cart = cart();
        int calls = 4;
        ExecutorService callers = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(callers.submit(() -> {
                    start.await();
                    return post(engine, FROM_CART, cart).extract();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<String> quotes = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                ExtractableResponse<Response> response = answer.get();
                statuses.add(response.statusCode());
                quotes.add(response.path("id"));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one call accepted it: " + statuses);
            assertEquals(calls - 1, statuses.stream().filter(s -> s == 200).count(), "the others found it: " + statuses);
            assertEquals(1, quotes.stream().distinct().count(), quotes.toString());
            assertEquals(1, leadsOf(tenant, cart.get("cart_id")));
            assertEquals(1, quotesOf(tenant, cart.get("cart_id")));
            assertEquals(1, eventsOf(quotes.get(0)));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anAnnualCartIsPricedFromTheAnnualPrices() {
        Map<String, Object> cart = cart();
        cart.put("billing_cycle", "annual");
        cart.put("products", List.of(line("isp-core", 1, "2990.00"), line("support-desk", 3, "333.30")));
        cart.put("total_amount", new BigDecimal("3989.90"));

        String leadId = post(engine, FROM_CART, cart).statusCode(201)
                .body("billing_cycle", equalTo("annual"))
                .body("items.unit_price", contains(new BigDecimal("2990.00"), new BigDecimal("333.30")))
                .body("items.line_total", contains(new BigDecimal("2990.00"), new BigDecimal("999.90")))
                .body("total_amount", equalTo(new BigDecimal("3989.90")))
                .body("status", equalTo("accepted"))
                .extract().path("lead_id");
        get(engine, "/api/v1/crm/leads/" + leadId).statusCode(200).body("billing_cycle", equalTo("annual"));
    }

    @Test
    void anAnnualCartAtMonthlyPricesIs409() {
        Map<String, Object> cart = cart();
        cart.put("billing_cycle", "annual");

        post(engine, FROM_CART, cart).statusCode(409).contentType("application/problem+json")
                .body("detail", startsWith("isp-core: the cart says 299.00 USD, the catalog 2990.00 USD"));
        assertEquals(0, acceptedOf(tenant, cart.get("cart_id")));
    }

    @Test
    void aStalePriceIs409NamingTheProductAndNothingIsAcceptedUntilTheRightFigures() {
        Map<String, Object> cart = cart();
        cart.put("products", List.of(line("isp-core", 2, "289.00"), line("support-desk", 3, "33.33")));
        cart.put("total_amount", new BigDecimal("677.99"));

        post(engine, FROM_CART, cart).statusCode(409).contentType("application/problem+json")
                .body("detail", startsWith("isp-core: the cart says 289.00 USD, the catalog 299.00 USD"))
                .body("detail", containsString("nothing was made"));
        assertEquals(0, acceptedOf(tenant, cart.get("cart_id")));
        assertEquals(0, eventsOfCart(tenant, cart.get("cart_id")));
        // Priced before anything is made: no lead holds the organization's name for a cart refused so.
        assertEquals(0, leadsOf(tenant, cart.get("cart_id")));

        // Right prices, wrong total: the total is checked too.
        cart.put("products", List.of(line("isp-core", 2, "299.00"), line("support-desk", 3, "33.33")));
        post(engine, FROM_CART, cart).statusCode(409)
                .body("detail", startsWith("total_amount: the cart says 677.99 USD, the catalog 697.99 USD"));
        assertEquals(0, acceptedOf(tenant, cart.get("cart_id")));

        // The visitor took the catalog's prices: the same cart goes on, with the draft it already has.
        cart.put("total_amount", new BigDecimal("697.99"));
        post(engine, FROM_CART, cart).statusCode(201).body("status", equalTo("accepted"))
                .body("total_amount", equalTo(new BigDecimal("697.99")));
        assertEquals(1, leadsOf(tenant, cart.get("cart_id")));
        assertEquals(1, quotesOf(tenant, cart.get("cart_id")));
        assertEquals(1, acceptedOf(tenant, cart.get("cart_id")));
        assertEquals(1, eventsOfCart(tenant, cart.get("cart_id")));
    }

    @Test
    void linesChangedBeforeTheAcceptanceAreQuotedAnewAndAfterItAre409() {
        Map<String, Object> cart = cart();
        cart.put("total_amount", new BigDecimal("1.00"));
        post(engine, FROM_CART, cart).statusCode(409);

        // The visitor dropped the desk seats: the new lines are quoted (the refused figures made nothing), and accepted.
        cart.put("products", List.of(line("isp-core", 2, "299.00")));
        cart.put("total_amount", new BigDecimal("598.00"));
        post(engine, FROM_CART, cart).statusCode(201).body("items.product_code", contains("isp-core"))
                .body("total_amount", equalTo(new BigDecimal("598.00")));
        assertEquals(1, quotesOf(tenant, cart.get("cart_id")));
        assertEquals(1, acceptedOf(tenant, cart.get("cart_id")));

        // Checked out, the cart is its accepted quote: other lines or another customer are refused.
        cart.put("products", List.of(line("isp-core", 3, "299.00")));
        cart.put("total_amount", new BigDecimal("897.00"));
        post(engine, FROM_CART, cart).statusCode(409).body("detail", startsWith("isp-core: the cart says 3, the quote 2"))
                .body("detail", containsString("was checked out already"));
        cart.put("products", List.of(line("isp-core", 2, "299.00")));
        cart.put("total_amount", new BigDecimal("598.00"));
        cart.put("customer_email", "someone-else@example.net");
        post(engine, FROM_CART, cart).statusCode(409).body("detail", startsWith("customer_email: the cart says 'someone-else@example.net'"));
        assertEquals(1, acceptedOf(tenant, cart.get("cart_id")));
    }

    @Test
    void aSlugSomeoneElseHoldsIs409AndAnotherSlugForTheSameCartGoesOn() {
        Map<String, Object> cart = cart();
        String slug = (String) cart.get("organization_slug");
        SalesStub.taken(slug);

        post(engine, FROM_CART, cart).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("organization slug taken: '" + slug + "' is reserved for another customer of the platform"));
        assertEquals(0, quotesOf(tenant, cart.get("cart_id")));

        // The visitor picked another slug: the cart's lead is qualified with it.
        cart.put("organization_slug", unique("shop"));
        post(engine, FROM_CART, cart).statusCode(201).body("organization_slug", equalTo(cart.get("organization_slug")));
        assertEquals(1, leadsOf(tenant, cart.get("cart_id")));
    }

    @Test
    void aCartQualificationRefusesIs422WithTheReasons() {
        Map<String, Object> cart = cart();
        cart.put("region", "mars-north");
        cart.put("products", List.of(line("isp-core", 20_000, "299.00")));
        cart.put("total_amount", new BigDecimal("5980000.00"));

        post(engine, FROM_CART, cart).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("region 'mars-north' is not offered"))
                .body("detail", containsString("quantity of 'isp-core' must be between 1 and 10000"));
        assertEquals(0, quotesOf(tenant, cart.get("cart_id")));
    }

    @Test
    void aMalformedCartIs400() {
        Map<String, Object> cart = cart();
        cart.put("billing_cycle", "weekly");
        post(engine, FROM_CART, cart).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("billing_cycle"));
        Map<String, Object> fraction = cart();
        fraction.put("products", List.of(line("isp-core", 1, "299.001")));
        post(engine, FROM_CART, fraction).statusCode(400);
        Map<String, Object> noCart = cart();
        noCart.remove("cart_id");
        post(engine, FROM_CART, noCart).statusCode(400);
        assertEquals(0, leadsOf(tenant, cart.get("cart_id")));
    }

    @Test
    void onlyTheEnginesTokenMayCheckOut() {
        Map<String, Object> cart = cart();
        // People take in leads through the lead endpoints: an operator, an admin, or a person's token
        // that names the service role, are refused.
        post(tokenOf(tenant), FROM_CART, cart).statusCode(403).contentType("application/problem+json");
        post(TestTokens.token(tenant, "admin"), FROM_CART, cart).statusCode(403);
        post(TestTokens.token(tenant, "service"), FROM_CART, cart).statusCode(403);
        post(null, FROM_CART, cart).statusCode(401).contentType("application/problem+json");
        assertEquals(0, leadsOf(tenant, cart.get("cart_id")));
    }

    @Test
    void anotherTenantNeitherSeesNorReusesTheCartsQuote() {
        Map<String, Object> cart = cart();
        var mine = post(engine, FROM_CART, cart).statusCode(201).extract();
        String quote = mine.path("id");

        String otherTenant = newTenant();
        String other = TestTokens.engine(otherTenant);
        get(other, "/api/v1/crm/quotes/" + quote).statusCode(404);
        get(other, "/api/v1/crm/leads/" + mine.<String>path("lead_id")).statusCode(404);

        // The same cart id under another tenant is that tenant's own checkout, not this one's quote.
        Map<String, Object> theirs = new LinkedHashMap<>(cart);
        theirs.put("organization_slug", unique("shop"));
        var answer = post(other, FROM_CART, theirs).statusCode(201).extract();
        assertNotEquals(quote, answer.path("id"));
        assertNotEquals(mine.<String>path("lead_id"), answer.path("lead_id"));
        assertEquals(1, leadsOf(tenant, cart.get("cart_id")));
        assertEquals(1, leadsOf(otherTenant, cart.get("cart_id")));
        get(engine, "/api/v1/crm/quotes/" + quote).statusCode(200).body("organization_slug", equalTo(cart.get("organization_slug")));
    }

    @Test
    void quotesOfLeadsTakenInByHandHaveNoCart() throws Exception {
        String token = tokenOf(tenant);
        String quote = sentQuote(token, "isp-core", 1);
        get(token, "/api/v1/crm/quotes/" + quote).statusCode(200).body("cart_id", nullValue());
        post(token, QuoteResourceTest.path(quote, "accept"), Map.of()).statusCode(200);
        JsonNode data = eventData(quote);
        assertNull(data.get("cart_id"));
        assertNull(data.get("source"));
    }
}
