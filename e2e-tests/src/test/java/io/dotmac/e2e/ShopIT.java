package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shop purchase through the six services' public APIs, as a visitor's browser makes it (its cart
 * cookie, no token): catalog, cart, checkout submitted twice, payment on the Stripe stand-in's hosted
 * page, the order page's statuses to live. Then, as the vendor sees it: one order, one succeeded
 * payment of the cart's total, one license set, one welcome email, and one journey, which the
 * console finds under the cart's id as well as the quote's.
 */
@ExtendWith(SuiteExtension.class)
class ShopIT {

    /** sales-service's SHOP_TENANT in the suite (its default). */
    static final String SHOP_TENANT = "demo";

    @Test
    void aVisitorsPurchaseIsOneOrderOnePaymentOneLicenseSetOneWelcomeAndOneJourney(Suite suite) {
        Api anonymous = new Api(suite, null);
        anonymous.anonymous(Service.SALES).get("/api/v1/shop/catalog").then().statusCode(200)
                .body("products.code", hasItem("isp-core"));
        Response created = anonymous.anonymous(Service.SALES).body("{}").post("/api/v1/shop/carts");
        created.then().statusCode(201);
        String cartId = created.path("id");
        String cookie = created.getCookie("shop_cart");
        String cart = "/api/v1/shop/carts/" + cartId;
        visitorCall(anonymous, cookie).body(Map.of("quantity", 1)).put(cart + "/lines/isp-core").then().statusCode(200);
        visitorCall(anonymous, cookie).body(Map.of("quantity", 2)).put(cart + "/lines/support-desk").then().statusCode(200);
        BigDecimal total = visitorCall(anonymous, cookie).body(Map.of("quantity", 2)).put(cart + "/lines/isp-core").then()
                .statusCode(200).body("prices_changed", equalTo(false)).extract().path("total");
        assertEquals(new BigDecimal("664.66"), total);

        String run = UUID.randomUUID().toString().substring(0, 8);
        String slug = "e2e-shop-" + run;
        // manual.: the suite's background payer leaves the "pay here" email to this test.
        String email = "manual.shop." + run + "@example.net";
        visitorCall(anonymous, cookie).get("/api/v1/shop/slugs/" + slug).then().statusCode(200).body("available", equalTo(true));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("customer_name", "Grace Hopper");
        details.put("customer_email", email);
        details.put("company_name", "Compiler Networks");
        details.put("organization_slug", slug);
        details.put("region", "eu-west");
        details.put("total", total);
        // A double click on Pay: one checkout.
        visitorCall(anonymous, cookie).body(details).post(cart + "/checkout").then().statusCode(202);
        visitorCall(anonymous, cookie).body(details).post(cart + "/checkout").then().statusCode(202);

        JsonPath awaiting = await("Stripe's page for cart " + cartId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> visitorCall(anonymous, cookie).get(cart + "/checkout").then().statusCode(200).extract().jsonPath(),
                        checkout -> !"preparing".equals(checkout.getString("status")));
        assertEquals("awaiting_payment", awaiting.getString("status"), awaiting.prettify());
        String page = awaiting.getString("checkout_url");
        assertTrue(page.startsWith(suite.stripeUrl() + "/checkout/pay/cs_"), page);
        String quoteId = awaiting.getString("quote_id");
        Checkout.pay(page);

        JsonPath live = await("cart " + cartId + " live").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> visitorCall(anonymous, cookie).get(cart + "/checkout").then().statusCode(200).extract().jsonPath(),
                        checkout -> List.of("live", "failed").contains(checkout.getString("status")));
        assertEquals("live", live.getString("status"), live.prettify());
        assertEquals("https://" + slug + "." + Suite.TENANT_BASE_DOMAIN, live.getString("tenant_url"));

        // As the vendor sees it.
        Api vendor = new Api(suite, TestTokens.token(SHOP_TENANT, "reader"));
        vendor.to(Service.SALES).queryParam("organization_slug", slug).get("/api/v1/sales/orders").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].quote_id", equalTo(quoteId)).body("items[0].status", equalTo("active"));
        vendor.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId).then().statusCode(200)
                .body("status", equalTo("succeeded")).body("amount", equalTo(total)).body("currency", equalTo("USD"));
        vendor.to(Service.CRM).get("/api/v1/crm/quotes/{id}", quoteId).then().statusCode(200)
                .body("status", equalTo("accepted")).body("cart_id", equalTo(cartId)).body("total_amount", equalTo(total));
        List<Map<String, Object>> licenses = Effects.licenses(vendor, slug);
        assertEquals(List.of("isp-core", "support-desk"), licenses.stream().map(l -> (String) l.get("product_code")).sorted().toList(),
                "one license per product bought: " + licenses);
        await("the welcome email to " + email).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> welcomes(suite, email).size() == 1);
        assertEquals(1, welcomes(suite, email).size());

        // One journey of the purchase (and payment_received's check, as for any paid quote), found under the
        // cart's id as under the quote's.
        List<Map<String, Object>> byCart = vendor.to(Service.WORKFLOW).queryParam("key", cartId).get("/api/v1/workflows/executions")
                .then().statusCode(200).extract().path("items");
        assertEquals(List.of("payment_received", "quote_accepted", "shop_checkout"),
                byCart.stream().map(e -> (String) e.get("workflow_name")).sorted().toList(), Workflows.summaries(byCart));
        vendor.to(Service.WORKFLOW).queryParam("key", quoteId).queryParam("workflow_name", "quote_accepted")
                .get("/api/v1/workflows/executions").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].status", equalTo("completed"));
        // A cart from another browser's cookie is not this visitor's.
        anonymous.anonymous(Service.SALES).get(cart + "/checkout").then().statusCode(404);
    }

    private static RequestSpecification visitorCall(Api anonymous, String cookie) {
        return anonymous.anonymous(Service.SALES).cookie("shop_cart", cookie);
    }

    private static List<MimeMessage> welcomes(Suite suite, String email) {
        return Effects.messagesTo(suite, email).stream().filter(m -> Checkout.pageIn(m).isEmpty()).toList();
    }
}
