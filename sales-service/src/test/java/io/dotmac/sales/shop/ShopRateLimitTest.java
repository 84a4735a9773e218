package io.dotmac.sales.shop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.sales.testing.PeerServicesStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Past its rate of requests, or of checkouts, a client address is answered 429 with Retry-After,
 * in problem+json, before any work.
 */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
@TestProfile(ShopRateLimitTest.EightAMinuteOneCheckout.class)
class ShopRateLimitTest {

    public static class EightAMinuteOneCheckout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sales.shop.rate-limit.requests", "8", "sales.shop.rate-limit.window", "PT1M",
                    "sales.shop.checkout-rate-limit.requests", "1");
        }
    }

    @Test
    void pastItsRatesAClientIsRefusedWithWhenToComeBack() {
        PeerServicesStub.serveCatalog(List.of(PeerServicesStub.catalogProduct("isp-core", "ISP Core Platform", "USD", "299.00", null)));
        String cart = given().contentType(ContentType.JSON).body("{}").when().post(ShopCartApiTest.SHOP + "/carts")
                .then().statusCode(201).extract().path("id");
        String checkout = ShopCartApiTest.SHOP + "/carts/" + cart + "/checkout";
        Map<String, Object> details = ShopCheckoutTest.contact("rate-limited", new BigDecimal("0.00"));
        given().contentType(ContentType.JSON).body(details).when().post(checkout).then().statusCode(404);
        // One checkout an hour here: each makes a lead, a quote holding a name and a payment page.
        given().contentType(ContentType.JSON).body(details).when().post(checkout).then().statusCode(429)
                .body("detail", startsWith("Too many checkouts from this address: at most 1 per 3600 s; try again in "));
        for (int i = 0; i < 5; i++) {
            given().when().get(ShopCartApiTest.SHOP + "/catalog").then().statusCode(200);
        }
        Response refused = given().when().get(ShopCartApiTest.SHOP + "/carts/" + UUID.randomUUID());
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("detail", equalTo("Too many requests from this address: at most 8 per 60 s; try again in "
                        + refused.getHeader("Retry-After") + " s"));
        long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // Only the shop's API is limited so: the service's other operations answer as ever.
        given().when().get("/api/v1/sales/orders").then().statusCode(401);
    }
}
