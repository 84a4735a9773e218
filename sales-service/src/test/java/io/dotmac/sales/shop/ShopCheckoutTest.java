package io.dotmac.sales.shop;

import static io.dotmac.sales.shop.ShopCartApiTest.SHOP;
import static io.dotmac.sales.shop.ShopCartApiTest.catalog;
import static io.dotmac.sales.shop.ShopCartApiTest.newCart;
import static io.dotmac.sales.testing.PeerServicesStub.serveCatalog;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.sales.shop.ShopCartApiTest.Visitor;
import io.dotmac.sales.testing.PeerServicesStub;
import io.dotmac.sales.testing.SalesApi;
import io.dotmac.sales.testing.TestQuotes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checking a cart out over HTTP against the real database: what is checked before the engine is
 * asked (prices, the total seen, the slug, the region), the one event in the outbox however often
 * the visitor submits, and the order page's statuses as the engine and the order move them on.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class ShopCheckoutTest {

    static final String SHOP_TENANT = "shop-test";
    final String engine = TestTokens.engine(SHOP_TENANT);

    @Inject
    Pool database;

    @BeforeEach
    void todaysCatalog() {
        serveCatalog(catalog("299.00"));
    }

    static Map<String, Object> contact(String slug, Object total) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer_name", "Ada Lovelace");
        body.put("customer_email", "ada@example.net");
        body.put("company_name", "Analytical Networks");
        body.put("organization_slug", slug);
        body.put("region", "eu-west");
        body.put("total", total);
        return body;
    }

    static ValidatableResponse checkout(Visitor visitor, Map<String, Object> body) {
        return visitor.call().body(body).when().post(SHOP + "/carts/" + visitor.cartId() + "/checkout").then();
    }

    static Visitor cartOfTwo() {
        Visitor visitor = newCart();
        visitor.put("isp-core", 2).statusCode(200);
        visitor.put("support-desk", 3).statusCode(200);
        return visitor;
    }

    private List<Row> outboxOf(String cartId) {
        List<Row> rows = new ArrayList<>();
        database.preparedQuery("SELECT topic, tenant_id, payload::text AS payload FROM outbox_events WHERE event_key = $1")
                .execute(Tuple.of(cartId)).await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        return rows;
    }

    private ValidatableResponse engineCall(String token, String cartId, String action, Object body) {
        return SalesApi.as(token).contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(body).when().post("/api/v1/sales/shop-checkouts/" + cartId + "/" + action).then();
    }

    @Test
    void aCheckoutIsOneEventForTheEngineHoweverOftenItIsSubmitted() {
        Visitor visitor = cartOfTwo();
        String slug = TestQuotes.slug();
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(404);

        checkout(visitor, contact(slug, new BigDecimal("697.99"))).statusCode(202)
                .body("status", equalTo("preparing")).body("checkout_url", nullValue())
                .body("organization_slug", equalTo(slug)).body("total", equalTo(new BigDecimal("697.99")));
        // A double click: the same checkout, no second event.
        checkout(visitor, contact(slug, new BigDecimal("697.99"))).statusCode(202).body("status", equalTo("preparing"));
        checkout(visitor, contact("someone-else", new BigDecimal("697.99"))).statusCode(409)
                .body("detail", equalTo("This cart was checked out already, with other details"));
        visitor.put("isp-core", 5).statusCode(409);

        List<Row> events = outboxOf(visitor.cartId());
        assertEquals(1, events.size());
        assertEquals(Checkouts.CHECKED_OUT, events.get(0).getString("topic"));
        assertEquals(SHOP_TENANT, events.get(0).getString("tenant_id"));
        JsonObject data = new JsonObject(events.get(0).getString("payload"));
        assertEquals(visitor.cartId(), data.getString("cart_id"));
        assertEquals(slug, data.getString("organization_slug"));
        assertEquals("ada@example.net", data.getString("customer_email"));
        assertEquals("monthly", data.getString("billing_cycle"));
        assertEquals("USD", data.getString("currency"));
        assertEquals("697.99", data.getValue("total_amount").toString());
        assertEquals("isp-core", data.getJsonArray("products").getJsonObject(0).getString("product_code"));
        assertEquals(2, data.getJsonArray("products").getJsonObject(0).getInteger("quantity"));
        assertEquals("33.33", data.getJsonArray("products").getJsonObject(1).getValue("unit_price").toString());
    }

    @Test
    void whatTheVisitorMustFixIsSaidBeforeTheEngineIsAsked() {
        Visitor visitor = cartOfTwo();
        String slug = TestQuotes.slug();
        checkout(visitor, contact(slug, new BigDecimal("600.00"))).statusCode(409)
                .body("detail", equalTo("The cart's total is 697.99, not 600.00: look at the cart again"));
        checkout(visitor, contact("Not A Slug", new BigDecimal("697.99"))).statusCode(400);
        Map<String, Object> elsewhere = contact(slug, new BigDecimal("697.99"));
        elsewhere.put("region", "moon-base");
        checkout(visitor, elsewhere).statusCode(400)
                .body("detail", equalTo("region: must be one of eu-west, us-east, ap-southeast, was 'moon-base'"));
        Map<String, Object> noEmail = contact(slug, new BigDecimal("697.99"));
        noEmail.put("customer_email", "ada@localhost");
        checkout(visitor, noEmail).statusCode(400).contentType("application/problem+json");
        // What the welcome email downstream would refuse is refused here, not after the payment.
        Map<String, Object> twoLines = contact(slug, new BigDecimal("697.99"));
        twoLines.put("customer_name", "Ada\nBcc: someone@example.net");
        checkout(visitor, twoLines).statusCode(400);
        // Numbers past any bound are a 400, never a 500 or a string of a billion digits.
        checkout(visitor, contact(slug, new BigDecimal("1e999999999"))).statusCode(400);
        visitor.call().body("{\"quantity\": 1e2147483647}").when().put(SHOP + "/carts/" + visitor.cartId() + "/lines/isp-core")
                .then().statusCode(400).contentType("application/problem+json");
        visitor.call().body("{\"quantity\": -1e2147483647}").when().put(SHOP + "/carts/" + visitor.cartId() + "/lines/isp-core")
                .then().statusCode(400);

        // A slug a lead holds (of any vendor tenant) is taken; the check as the visitor types says so too.
        String taken = TestQuotes.slug();
        SalesApi.as(TestTokens.engine("another-vendor")).contentType(ContentType.JSON)
                .body(Map.of("lead_id", "lead-1", "expires_at", OffsetDateTime.now().plusDays(3).toString()))
                .when().put("/api/v1/sales/slug-reservations/" + taken).then().statusCode(200);
        visitor.call().when().get(SHOP + "/slugs/" + taken).then().statusCode(200)
                .body("available", equalTo(false)).body("reason", equalTo("taken"));
        visitor.call().when().get(SHOP + "/slugs/" + slug).then().statusCode(200).body("available", equalTo(true));
        visitor.call().when().get(SHOP + "/slugs/Bad_Slug").then().statusCode(200).body("available", equalTo(false));
        checkout(visitor, contact(taken, new BigDecimal("697.99"))).statusCode(409)
                .body("detail", equalTo("organization slug '" + taken + "' is taken"));

        serveCatalog(catalog("309.00"));
        checkout(visitor, contact(slug, new BigDecimal("697.99"))).statusCode(409)
                .body("detail", equalTo("Prices changed since these products were added: accept the new prices first"));
        Visitor empty = newCart();
        checkout(empty, contact(slug, new BigDecimal("0.00"))).statusCode(409).body("detail", equalTo("The cart is empty"));
        assertEquals(0, outboxOf(visitor.cartId()).size());
        visitor.call().when().get(SHOP + "/regions").then().statusCode(200)
                .body("regions", equalTo(List.of("eu-west", "us-east", "ap-southeast")));
    }

    @Test
    void theOrderPageFollowsTheEngineAndTheOrderToLive() {
        Visitor visitor = cartOfTwo();
        String slug = TestQuotes.slug();
        checkout(visitor, contact(slug, new BigDecimal("697.99"))).statusCode(202);

        // Another tenant's engine sees no such checkout; this one's takes it up and records crm's quote and Stripe's page.
        engineCall(TestTokens.engine("another-vendor"), visitor.cartId(), "start", Map.of()).statusCode(404);
        engineCall(TestTokens.token(SHOP_TENANT, "reader"), visitor.cartId(), "start", Map.of()).statusCode(403);
        engineCall(engine, visitor.cartId(), "start", Map.of()).statusCode(200).body("status", equalTo("preparing"));
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String quoteId = (String) quote.get("id");
        // Only the engine records where a visitor pays.
        engineCall(TestTokens.token(SHOP_TENANT, "operator"), visitor.cartId(), "payment",
                Map.of("quote_id", quoteId, "checkout_url", "https://evil.example/")).statusCode(403);
        // The quote as soon as crm accepted it (still preparing the page), then the page.
        engineCall(engine, visitor.cartId(), "payment", Map.of("quote_id", quoteId)).statusCode(200)
                .body("status", equalTo("preparing"));
        engineCall(engine, visitor.cartId(), "payment", Map.of("quote_id", quoteId, "checkout_url", "https://pay.example/cs_1"))
                .statusCode(200).body("status", equalTo("awaiting_payment"));
        // Once the quote is accepted, a failure of the checkout's workflow fails nothing here: the quote's journey goes on.
        engineCall(engine, visitor.cartId(), "fail", Map.of("reason", "billing was down")).statusCode(200)
                .body("status", equalTo("awaiting_payment"));
        engineCall(engine, visitor.cartId(), "payment", Map.of("quote_id", quoteId, "checkout_url", "https://pay.example/cs_1"))
                .statusCode(200);
        engineCall(engine, visitor.cartId(), "payment", Map.of("quote_id", UUID.randomUUID().toString())).statusCode(409);
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(200)
                .body("status", equalTo("awaiting_payment")).body("checkout_url", equalTo("https://pay.example/cs_1"))
                .body("quote_id", equalTo(quoteId));
        // The tenant's staff and engine read it as the visitor does (the reminder's link is its order page); nobody else does.
        String checkoutPath = "/api/v1/sales/shop-checkouts/" + visitor.cartId();
        given().auth().oauth2(TestTokens.token(SHOP_TENANT, "reader")).when().get(checkoutPath).then().statusCode(200)
                .body("status", equalTo("awaiting_payment")).body("quote_id", equalTo(quoteId))
                .body("customer_name", equalTo("Ada Lovelace")).body("customer_email", equalTo("ada@example.net"))
                .body("order_url", equalTo("https://shop.test/shop/#/order/" + visitor.cartId()));
        given().auth().oauth2(TestTokens.engine("another-vendor")).when().get(checkoutPath).then().statusCode(404);
        given().when().get(checkoutPath).then().statusCode(401);
        given().auth().oauth2(engine).when().get("/api/v1/sales/shop-checkouts/" + newCart().cartId()).then().statusCode(404);
        given().auth().oauth2(engine).when().get("/api/v1/sales/shop-checkouts/not-a-cart").then().statusCode(404);

        // The journey made the order once paid (paid), then activated it (live).
        String orderId = SalesApi.paidOrder(engine, quote);
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(200)
                .body("status", equalTo("paid")).body("order_status", equalTo("draft"));
        SalesApi.submit(engine, orderId, true).statusCode(200);
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(200)
                .body("status", equalTo("live")).body("tenant_url", equalTo("https://" + slug + ".tenants.test"));
        // Not another browser's.
        new Visitor(visitor.cartId(), newCart().secret()).call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout")
                .then().statusCode(404);
    }

    @Test
    void aCheckoutTheEngineCouldNotCompleteSaysWhy() {
        Visitor visitor = cartOfTwo();
        checkout(visitor, contact(TestQuotes.slug(), new BigDecimal("697.99"))).statusCode(202);
        engineCall(engine, visitor.cartId(), "fail", Map.of("reason", "isp-core: the cart says 299.00 USD, the catalog 309.00 USD"))
                .statusCode(200).body("status", equalTo("failed"));
        engineCall(engine, visitor.cartId(), "fail", Map.of("reason", "again")).statusCode(200);
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("detail", equalTo("The order could not be placed: isp-core: the cart says 299.00 USD, the catalog 309.00 USD"));
        visitor.put("isp-core", 1).statusCode(409).body("detail", equalTo("This cart's checkout failed; start a new cart with its products"));
        // A replayed start of a failed checkout goes no further.
        engineCall(engine, visitor.cartId(), "start", Map.of()).statusCode(409);
    }

    @Test
    void aPaymentWhosePageClosedUnpaidEndsTheCheckoutUnlessItsQuoteWasPaidAfterAll() {
        Visitor visitor = cartOfTwo();
        String slug = TestQuotes.slug();
        checkout(visitor, contact(slug, new BigDecimal("697.99"))).statusCode(202);
        engineCall(engine, visitor.cartId(), "start", Map.of()).statusCode(200);
        Map<String, Object> quote = TestQuotes.accepted(slug);
        String quoteId = (String) quote.get("id");
        String reason = "the payment was not made before its page closed; start again to order";
        Map<String, Object> unpaid = Map.of("quote_id", quoteId, "reason", reason);

        // Before the quote is recorded, while billing's payment is still open, for another quote, by a reader: refused.
        PeerServicesStub.payment(quoteId, "failed", new BigDecimal("697.99"), "USD");
        engineCall(engine, visitor.cartId(), "unpaid", unpaid).statusCode(409);
        engineCall(engine, visitor.cartId(), "payment", Map.of("quote_id", quoteId, "checkout_url", "https://pay.example/cs_2"))
                .statusCode(200);
        PeerServicesStub.payment(quoteId, "pending", new BigDecimal("697.99"), "USD");
        engineCall(engine, visitor.cartId(), "unpaid", unpaid).statusCode(409)
                .body("detail", equalTo("The payment of quote " + quoteId + " is pending, not failed: the checkout stays open"));
        PeerServicesStub.payment(quoteId, "failed", new BigDecimal("697.99"), "USD");
        String otherQuote = UUID.randomUUID().toString();
        PeerServicesStub.payment(otherQuote, "failed", new BigDecimal("697.99"), "USD");
        engineCall(engine, visitor.cartId(), "unpaid", Map.of("quote_id", otherQuote)).statusCode(409);
        engineCall(TestTokens.token(SHOP_TENANT, "reader"), visitor.cartId(), "unpaid", unpaid).statusCode(403);
        engineCall(TestTokens.engine("another-vendor"), visitor.cartId(), "unpaid", unpaid).statusCode(404);
        engineCall(engine, visitor.cartId(), "unpaid", Map.of("reason", reason)).statusCode(400);

        // An operator may end it by hand as the engine does; again is harmless.
        engineCall(TestTokens.token(SHOP_TENANT, "operator"), visitor.cartId(), "unpaid", unpaid).statusCode(200)
                .body("status", equalTo("failed"));
        engineCall(engine, visitor.cartId(), "unpaid", unpaid).statusCode(200);
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(200)
                .body("status", equalTo("failed")).body("detail", equalTo("The order could not be placed: " + reason));

        // Paid after all (the journey made the order): the order is what the visitor sees, and it is not undone.
        SalesApi.paidOrder(engine, quote);
        visitor.call().when().get(SHOP + "/carts/" + visitor.cartId() + "/checkout").then().statusCode(200)
                .body("status", equalTo("paid"));
        PeerServicesStub.payment(quoteId, "failed", new BigDecimal("697.99"), "USD");
        engineCall(engine, visitor.cartId(), "unpaid", unpaid).statusCode(409);
    }
}
