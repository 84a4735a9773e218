package io.dotmac.sales.shop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.sales.testing.PeerServicesStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Past its rate, a client address is answered 429 with Retry-After, in problem+json, before any work. */
@QuarkusTest
@QuarkusTestResource(PeerServicesStub.class)
@TestProfile(ShopRateLimitTest.FiveAMinute.class)
class ShopRateLimitTest {

    public static class FiveAMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sales.shop.rate-limit.requests", "5", "sales.shop.rate-limit.window", "PT1M");
        }
    }

    @Test
    void theSixthRequestOfAMinuteIsRefusedWithWhenToComeBack() {
        PeerServicesStub.serveCatalog(List.of(PeerServicesStub.catalogProduct("isp-core", "ISP Core Platform", "USD", "299.00", null)));
        for (int i = 0; i < 5; i++) {
            given().when().get(ShopCartApiTest.SHOP + "/catalog").then().statusCode(200);
        }
        Response refused = given().when().get(ShopCartApiTest.SHOP + "/carts/" + UUID.randomUUID());
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("detail", equalTo("Too many requests from this address: at most 5 per 60 s; try again in "
                        + refused.getHeader("Retry-After") + " s"));
        long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // Only the shop's API is limited so: the service's other operations answer as ever.
        given().when().get("/api/v1/sales/orders").then().statusCode(401);
    }
}
