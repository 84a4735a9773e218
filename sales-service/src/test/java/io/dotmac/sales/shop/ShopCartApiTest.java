package io.dotmac.sales.shop;

import static io.dotmac.sales.testing.PeerServicesStub.catalogProduct;
import static io.dotmac.sales.testing.PeerServicesStub.serveCatalog;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.sales.testing.PeerServicesStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shop's cart API over HTTP, against the real database and crm-service's catalog served by the
 * stand-in: a cart is only its cookie's, quantities and lines are bounded, a catalog price changed
 * since a line was added is shown and never applied silently, and changes from another site are
 * refused. (The rate limit has its own profile: ShopRateLimitTest.)
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
class ShopCartApiTest {

    static final String SHOP = "/api/v1/shop";
    static final String COOKIE = "shop_cart";
    // Amounts compared exactly, as the JSON's own decimals.
    static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @Inject
    Pool database;

    record Visitor(String cartId, String secret) {
        RequestSpecification call() {
            return given().config(EXACT).cookie(COOKIE, secret).contentType(ContentType.JSON);
        }

        ValidatableResponse get() {
            return call().when().get(SHOP + "/carts/" + cartId).then();
        }

        ValidatableResponse put(String code, Object quantity) {
            return call().body(Map.of("quantity", quantity)).when().put(SHOP + "/carts/" + cartId + "/lines/" + code).then();
        }
    }

    static List<Map<String, Object>> catalog(String corePrice) {
        return List.of(
                catalogProduct("isp-core", "ISP Core Platform", "USD", corePrice, "2990.00"),
                catalogProduct("support-desk", "Support Desk (per seat)", "USD", "33.33", "333.30"),
                catalogProduct("billing-suite", "Billing Suite", "USD", "149.00", "1490.00"),
                catalogProduct("customer-portal", "Customer Portal", "USD", "79.00", null),
                catalogProduct("euro-addon", "Euro Add-on", "EUR", "10.00", null));
    }

    static Visitor newCart() {
        ExtractableResponse<Response> created = given().config(EXACT).contentType(ContentType.JSON)
                .body(Map.of("billing_cycle", "monthly")).when().post(SHOP + "/carts")
                .then().statusCode(201).contentType(ContentType.JSON)
                .body("status", equalTo("open")).body("lines", hasSize(0)).body("total", equalTo(new BigDecimal("0.00")))
                .extract();
        return new Visitor(created.path("id"), created.cookie(COOKIE));
    }

    @BeforeEach
    void todaysCatalog() {
        serveCatalog(catalog("299.00"));
    }

    @Test
    void theCatalogIsCrmsWithExactPricesPerCycle() {
        given().config(EXACT).when().get(SHOP + "/catalog").then().statusCode(200)
                .body("products", hasSize(5))
                .body("products[0].code", equalTo("isp-core"))
                .body("products[0].description", equalTo("ISP Core Platform, described"))
                .body("products[0].unit_prices.monthly", equalTo(new BigDecimal("299.00")))
                .body("products[0].unit_prices.annual", equalTo(new BigDecimal("2990.00")));
    }

    @Test
    void aVisitorAddsChangesAndRemovesLinesWithExactTotals() {
        Response created = given().contentType(ContentType.JSON).body("{}").when().post(SHOP + "/carts");
        String setCookie = created.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith(COOKIE + "=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict")
                && setCookie.matches(".*Path=" + SHOP + "/carts/" + created.path("id") + "(;.*|$)"), setCookie);
        assertEquals(SHOP + "/carts/" + created.path("id"), created.getHeader("Location").replaceFirst("^https?://[^/]+", ""));
        Visitor visitor = new Visitor(created.path("id"), created.getCookie(COOKIE));
        assertEquals(43, visitor.secret().length(), "256 random bits, base64url");

        visitor.put("isp-core", 1).statusCode(200).header("Set-Cookie", containsString("Max-Age="));
        visitor.put("support-desk", 3).statusCode(200)
                .body("currency", equalTo("USD"))
                .body("lines.product_code", equalTo(List.of("isp-core", "support-desk")))
                .body("lines[1].line_total", equalTo(new BigDecimal("99.99")))
                .body("total", equalTo(new BigDecimal("398.99")));
        visitor.put("isp-core", 2).statusCode(200)
                .body("lines[0].quantity", equalTo(2))
                .body("lines[0].line_total", equalTo(new BigDecimal("598.00")))
                .body("total", equalTo(new BigDecimal("697.99")))
                .body("prices_changed", equalTo(false));
        visitor.call().when().delete(SHOP + "/carts/" + visitor.cartId() + "/lines/support-desk").then().statusCode(200)
                .body("lines", hasSize(1)).body("total", equalTo(new BigDecimal("598.00")));
        // Removing what is not there is harmless.
        visitor.call().when().delete(SHOP + "/carts/" + visitor.cartId() + "/lines/support-desk").then().statusCode(200)
                .body("lines", hasSize(1));
        visitor.get().statusCode(200).body("lines[0].name", equalTo("ISP Core Platform"));

        // Annually, each line takes that cycle's price; a product sold only monthly cannot come along.
        visitor.call().body(Map.of("billing_cycle", "annual")).when().put(SHOP + "/carts/" + visitor.cartId() + "/billing-cycle")
                .then().statusCode(200).body("billing_cycle", equalTo("annual"))
                .body("lines[0].unit_price", equalTo(new BigDecimal("2990.00"))).body("total", equalTo(new BigDecimal("5980.00")));
        visitor.put("customer-portal", 1).statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("Product 'customer-portal' is not sold annual"));
    }

    @Test
    void aCartIsOnlyItsOwnCookiesAndAnythingElseIsTheSame404() {
        Visitor mine = newCart();
        Visitor theirs = newCart();
        mine.put("isp-core", 1).statusCode(200);

        String detail = new Visitor(mine.cartId(), theirs.secret()).get().statusCode(404)
                .contentType("application/problem+json").extract().path("detail");
        new Visitor(mine.cartId(), theirs.secret()).put("isp-core", 5).statusCode(404);
        given().when().get(SHOP + "/carts/" + mine.cartId()).then().statusCode(404).body("detail", equalTo(detail));
        new Visitor(UUID.randomUUID().toString(), mine.secret()).get().statusCode(404).body("detail", equalTo(detail));
        new Visitor("not-a-uuid", mine.secret()).get().statusCode(404).body("detail", equalTo(detail));
        mine.get().statusCode(200).body("lines[0].quantity", equalTo(1));
    }

    @Test
    void quantitiesLinesAndProductsAreBounded() {
        Visitor visitor = newCart();
        visitor.put("isp-core", 501).statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("quantity: must be a whole number from 1 to 500, was 501"));
        visitor.put("isp-core", 0).statusCode(400);
        visitor.put("isp-core", new BigDecimal("1.5")).statusCode(400);
        visitor.call().body("{\"quantity\": \"many\"}").when().put(SHOP + "/carts/" + visitor.cartId() + "/lines/isp-core")
                .then().statusCode(400).contentType("application/problem+json");
        visitor.put("no-such-product", 1).statusCode(422).body("detail", equalTo("Product 'no-such-product' is not in the catalog"));
        visitor.put("isp-core", 1).statusCode(200);
        visitor.put("euro-addon", 1).statusCode(422).body("detail", containsString("one payment is in one currency"));
        visitor.put("support-desk", 1).statusCode(200);
        visitor.put("billing-suite", 1).statusCode(200);
        // The test profile's bound is three lines.
        visitor.put("customer-portal", 1).statusCode(409).body("detail", equalTo("A cart holds at most 3 products"));
        visitor.get().body("lines", hasSize(3));
    }

    @Test
    void concurrentAdditionsNeverPassTheBoundOfLines() {
        Visitor visitor = newCart();
        List<String> codes = List.of("isp-core", "support-desk", "billing-suite", "customer-portal");
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 12).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                visitor.put(codes.get(i % codes.size()), 1 + i).extract().statusCode())).toList();
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
        assertTrue(statuses.stream().allMatch(status -> status == 200 || status == 409), statuses.toString());
        visitor.get().statusCode(200).body("lines", hasSize(3));
    }

    @Test
    void aPriceChangedInTheCatalogIsShownAndAppliedOnlyWhenAccepted() {
        Visitor visitor = newCart();
        visitor.put("isp-core", 2).statusCode(200);
        visitor.put("support-desk", 1).statusCode(200);

        serveCatalog(catalog("309.00").stream().filter(p -> !"support-desk".equals(p.get("code"))).toList());
        visitor.get().statusCode(200)
                .body("prices_changed", equalTo(true))
                .body("lines[0].unit_price", equalTo(new BigDecimal("299.00")))
                .body("lines[0].catalog_unit_price", equalTo(new BigDecimal("309.00")))
                .body("lines[0].price_changed", equalTo(true))
                .body("lines[1].catalog_unit_price", nullValue())
                .body("lines[1].price_changed", equalTo(true))
                .body("total", equalTo(new BigDecimal("631.33")));
        // Changing a quantity keeps the agreed price: nothing is re-priced behind the visitor's back.
        visitor.put("isp-core", 3).statusCode(200).body("lines[0].unit_price", equalTo(new BigDecimal("299.00")));

        visitor.call().when().post(SHOP + "/carts/" + visitor.cartId() + "/accept-prices").then().statusCode(200)
                .body("prices_changed", equalTo(false))
                .body("lines", hasSize(1))
                .body("lines[0].unit_price", equalTo(new BigDecimal("309.00")))
                .body("total", equalTo(new BigDecimal("927.00")));
    }

    @Test
    void changesFromAnotherSiteAreRefused() {
        Visitor visitor = newCart();
        visitor.call().header("Origin", "https://evil.example").body(Map.of("quantity", 1))
                .when().put(SHOP + "/carts/" + visitor.cartId() + "/lines/isp-core").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("Changes to a cart are accepted only from the shop's own pages"));
        visitor.call().header("Sec-Fetch-Site", "cross-site").when().delete(SHOP + "/carts/" + visitor.cartId() + "/lines/isp-core")
                .then().statusCode(403);
        visitor.call().header("Origin", "null").when().post(SHOP + "/carts/" + visitor.cartId() + "/accept-prices")
                .then().statusCode(403);
        given().header("Sec-Fetch-Site", "same-site").contentType(ContentType.JSON).body("{}").when().post(SHOP + "/carts")
                .then().statusCode(403);
        visitor.get().statusCode(200).body("lines", hasSize(0));

        // The shop's own page: its origin is the request's host.
        String host = "localhost:" + RestAssured.port;
        visitor.call().header("Host", host).header("Origin", "http://" + host).header("Sec-Fetch-Site", "same-origin")
                .body(Map.of("quantity", 1)).when().put(SHOP + "/carts/" + visitor.cartId() + "/lines/isp-core")
                .then().statusCode(200);
    }

    @Test
    void anIdleCartExpiresAndACheckedOutOneNoLongerChanges() {
        Visitor idle = newCart();
        execute("UPDATE shop_carts SET updated_at = now() - interval '8 days' WHERE id = $1",
                UUID.fromString(idle.cartId()));
        idle.get().statusCode(404);

        Visitor done = newCart();
        done.put("isp-core", 1).statusCode(200);
        execute("UPDATE shop_carts SET status = 'checked_out' WHERE id = $1", UUID.fromString(done.cartId()));
        done.put("isp-core", 2).statusCode(409).body("detail", equalTo("This cart was checked out; it can no longer change"));
        done.get().statusCode(200).body("status", equalTo("checked_out"));
        // A checked-out cart is the visitor's order page: it does not expire.
        execute("UPDATE shop_carts SET updated_at = now() - interval '30 days' WHERE id = $1", UUID.fromString(done.cartId()));
        done.get().statusCode(200);
    }

    @Test
    void crmDownIsA503TheVisitorMayRetry() {
        Visitor visitor = newCart();
        PeerServicesStub.server().stubFor(WireMock.get(PeerServicesStub.CATALOG_PATH).willReturn(WireMock.serverError()));
        visitor.put("isp-core", 1).statusCode(503).contentType("application/problem+json");
        visitor.get().statusCode(503);
    }

    private void execute(String sql, Object... params) {
        database.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10));
    }
}
