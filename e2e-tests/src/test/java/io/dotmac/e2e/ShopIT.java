package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @Test
    void aVisitorsPurchaseIsOneOrderOnePaymentOneLicenseSetOneWelcomeAndOneJourney(Suite suite) {
        Api anonymous = new Api(suite, null);
        anonymous.anonymous(Service.SALES).get("/api/v1/shop/catalog").then().statusCode(200)
                .body("products.code", hasItem("isp-core"));
        Shop.Cart cart = Shop.newCart(suite);
        cart.put("isp-core", 1);
        cart.put("support-desk", 2);
        BigDecimal total = cart.put("isp-core", 2);
        assertEquals(new BigDecimal("664.66"), total);

        // manual.: the suite's background payer leaves the "pay here" email to this test.
        Shop.Purchase purchase = Shop.purchase(cart, "manual.shop", total);
        String slug = purchase.slug();
        String email = purchase.email();
        cart.call().get("/api/v1/shop/slugs/" + slug).then().statusCode(200).body("available", equalTo(true));
        // A double click on Pay: one checkout. The first click's page is in a trace of its own (not
        // sampled: its spans are recorded nowhere, but its context goes on across the services).
        String trace = UUID.randomUUID().toString().replace("-", "");
        purchase.checkOut("00-" + trace + "-" + trace.substring(0, 16) + "-00");
        purchase.checkOut();

        JsonPath awaiting = cart.awaitPayable(Duration.ofSeconds(60));
        String page = awaiting.getString("checkout_url");
        assertTrue(page.startsWith(suite.stripeUrl() + "/checkout/pay/cs_"), page);
        String quoteId = awaiting.getString("quote_id");
        Checkout.pay(page);

        JsonPath live = cart.awaitLive(Duration.ofSeconds(90));
        assertEquals("https://" + slug + "." + Suite.TENANT_BASE_DOMAIN, live.getString("tenant_url"));

        // As the vendor sees it.
        Api vendor = new Api(suite, TestTokens.token(suite.shopTenant(), "reader"));
        vendor.to(Service.SALES).queryParam("organization_slug", slug).get("/api/v1/sales/orders").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].quote_id", equalTo(quoteId)).body("items[0].status", equalTo("active"));
        vendor.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId).then().statusCode(200)
                .body("status", equalTo("succeeded")).body("amount", equalTo(total)).body("currency", equalTo("USD"));
        vendor.to(Service.CRM).get("/api/v1/crm/quotes/{id}", quoteId).then().statusCode(200)
                .body("status", equalTo("accepted")).body("cart_id", equalTo(cart.id())).body("total_amount", equalTo(total));
        List<Map<String, Object>> licenses = Effects.licenses(vendor, slug);
        assertEquals(List.of("isp-core", "support-desk"), licenses.stream().map(l -> (String) l.get("product_code")).sorted().toList(),
                "one license per product bought: " + licenses);
        await("the welcome email to " + email).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Shop.welcomes(suite, email).size() == 1);
        assertEquals(1, Shop.welcomes(suite, email).size());

        // One journey of the purchase (and payment_received's check, as for any paid quote), found under the
        // cart's id as under the quote's.
        List<Map<String, Object>> byCart = vendor.to(Service.WORKFLOW).queryParam("key", cart.id()).get("/api/v1/workflows/executions")
                .then().statusCode(200).extract().path("items");
        assertEquals(List.of("payment_received", "quote_accepted", "shop_checkout"),
                byCart.stream().map(e -> (String) e.get("workflow_name")).sorted().toList(), Workflows.summaries(byCart));
        vendor.to(Service.WORKFLOW).queryParam("key", quoteId).queryParam("workflow_name", "quote_accepted")
                .get("/api/v1/workflows/executions").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].status", equalTo("completed"));
        // One trace from the visitor's Pay: sales' event of the checkout started shop_checkout in it, whose
        // call had crm accept the quote in it, whose event started quote_accepted in it, whose every step
        // (billing's payment, licensing, the order) ran in it.
        Workflows workflows = new Workflows(suite, vendor);
        for (Map<String, Object> execution : byCart) {
            if (!"payment_received".equals(execution.get("workflow_name"))) {
                List<String> traces = workflows.execution((String) execution.get("id")).getList("steps.trace_id");
                assertEquals(Set.of(trace), new HashSet<>(traces), execution.get("workflow_name") + "'s steps' traces");
            }
        }
        // A cart from another browser's cookie is not this visitor's.
        anonymous.anonymous(Service.SALES).get(cart.path() + "/checkout").then().statusCode(404);
    }

    /**
     * A visitor who checks out and does not pay gets one reminder, from the engine's own wait in
     * shop_checkout (the shop's tenant publishes it with a wait of seconds instead of an hour, as it
     * chooses its delay): to their address, with Stripe's page and the link back to their order. Left
     * unpaid until the page closes (its vendor expires it), the checkout ends at the shop, its order
     * page says why, crm lapses the quote, and the organization's name is free again: the visitor's
     * next cart checks out with it.
     */
    @Test
    void aCheckoutLeftUnpaidIsRemindedOnceThenEndsAndFreesItsName(Suite suite) {
        Api vendor = new Api(suite, TestTokens.token(suite.shopTenant(), "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, vendor);
        String version = workflows.storeAsNewest(Workflows.withTimeouts(workflows.definition("shop_checkout"),
                Map.of("wait_before_reminding", 3)));
        try {
            // "manual.": the suite's payer leaves this visitor's pages alone, and nobody pays.
            Shop.Purchase purchase = Shop.ofTwoProducts(suite, "manual.shop-reminder");
            Shop.Cart cart = purchase.cart();
            purchase.checkOut();
            JsonPath awaiting = cart.awaitPayable(Duration.ofSeconds(60));
            String page = awaiting.getString("checkout_url");
            String orderPage = suite.url(Service.SALES) + "/shop/#/order/" + cart.id();
            assertEquals(orderPage, awaiting.getString("order_url"));

            List<MimeMessage> reminders = await("the reminder to " + purchase.email()).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> reminders(suite, purchase.email()), found -> !found.isEmpty());
            String text = Checkout.text(reminders.get(0));
            assertTrue(text.contains(page) && text.contains(orderPage) && text.contains("Grace Hopper"), text);

            // Stripe's page closes unpaid: its vendor expires it in Stripe's dashboard, rather than the
            // test waiting Suite.CHECKOUT_EXPIRY for it to close by itself (the same webhook either way).
            Checkout.expire(suite, page);
            JsonPath ended = await("cart " + cart.id() + " ended").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(cart::checkout, checkout -> "failed".equals(checkout.getString("status")));
            assertTrue(ended.getString("detail").contains("the payment was not made before its page closed"), ended.prettify());
            String execution = workflows.awaitExecution("shop_checkout", cart.id(), Duration.ofSeconds(10));
            JsonPath checkout = workflows.awaitStatus(execution, Duration.ofSeconds(30), "completed");
            assertEquals(List.of("completed", "completed", "completed"), List.of("remind_visitor", "close_unpaid", "lapse_quote").stream()
                    .map(step -> checkout.getString("steps.find { it.step_name == '" + step + "' }.status")).toList(),
                    Workflows.describe(checkout));
            assertEquals(1, reminders(suite, purchase.email()).size(), "one reminder");
            vendor.to(Service.CRM).get("/api/v1/crm/quotes/{id}", awaiting.getString("quote_id")).then().statusCode(200)
                    .body("status", equalTo("expired"));

            // The name is free again: the visitor's next cart checks out with it.
            cart.call().get("/api/v1/shop/slugs/" + purchase.slug()).then().statusCode(200).body("available", equalTo(true));
            Shop.Cart again = Shop.newCart(suite);
            again.put("isp-core", 2);
            Shop.Purchase retry = new Shop.Purchase(again, purchase.email(), purchase.slug(), again.put("support-desk", 2));
            retry.checkOut();
            assertEquals(purchase.slug(), again.awaitPayable(Duration.ofSeconds(60)).getString("organization_slug"));
        } finally {
            // The shop's other tests run the built-in again.
            workflows.deactivate("shop_checkout", version);
        }
    }

    private static List<MimeMessage> reminders(Suite suite, String email) {
        return Effects.messagesTo(suite, email).stream().filter(m -> Checkout.subject(m).contains("is waiting for payment")).toList();
    }
}
