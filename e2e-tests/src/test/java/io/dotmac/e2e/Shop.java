package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.function.Predicate;

/**
 * Shop visitors as the tests need them, through sales-service's public API as their browsers call
 * it (the cart's cookie, no token): a cart and its lines, its checkout and where the purchase stands;
 * and what the purchase became, as the shop's vendor ({@link Suite#shopTenant()}) reads it.
 */
final class Shop {

    private static final String COOKIE = "shop_cart";

    private Shop() {
    }

    /** A visitor's cart, reached by its id and the secret of its cookie. */
    record Cart(Api api, String id, String cookie) {

        /** A request of the visitor's browser: the cart's cookie, no token. */
        RequestSpecification call() {
            return api.anonymous(Service.SALES).cookie(COOKIE, cookie);
        }

        String path() {
            return "/api/v1/shop/carts/" + id;
        }

        /** Sets the product's quantity in the cart; the cart's total then (at prices the catalog still has). */
        BigDecimal put(String product, int quantity) {
            return call().body(Map.of("quantity", quantity)).put(path() + "/lines/" + product).then().statusCode(200)
                    .body("prices_changed", equalTo(false)).extract().path("total");
        }

        /** {@code GET …/checkout}: where the purchase stands, as the visitor's order page reads it. */
        JsonPath checkout() {
            return call().get(path() + "/checkout").then().statusCode(200).extract().jsonPath();
        }

        /** Waits until the checkout is no longer being prepared; fails unless Stripe's page awaits the payment. */
        JsonPath awaitPayable(Duration timeout) {
            JsonPath checkout = awaitCheckout("Stripe's page", timeout, status -> !"preparing".equals(status));
            assertEquals("awaiting_payment", checkout.getString("status"), checkout.prettify());
            return checkout;
        }

        /** Waits until the purchase has ended; fails unless it is live. */
        JsonPath awaitLive(Duration timeout) {
            JsonPath checkout = awaitCheckout("live", timeout, List.of("live", "failed")::contains);
            assertEquals("live", checkout.getString("status"), checkout.prettify());
            return checkout;
        }

        private JsonPath awaitCheckout(String what, Duration timeout, Predicate<String> reached) {
            return await("cart " + id + " " + what).atMost(timeout).pollInterval(Duration.ofMillis(250))
                    .until(this::checkout, checkout -> reached.test(checkout.getString("status")));
        }
    }

    /** A visitor's purchase: the cart and the checkout form's details (the total is the one the cart showed). */
    record Purchase(Cart cart, String email, String slug, BigDecimal total) {

        Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("customer_name", "Grace Hopper");
            details.put("customer_email", email);
            details.put("company_name", "Compiler Networks");
            details.put("organization_slug", slug);
            details.put("region", "eu-west");
            details.put("total", total);
            return details;
        }

        /** Pay pressed on the checkout form: 202, the checkout under way (the same details again are the same checkout). */
        void checkOut() {
            cart.call().body(details()).post(cart.path() + "/checkout").then().statusCode(202);
        }

        /** The same, from a page in the trace {@code traceparent} names (W3C Trace Context). */
        void checkOut(String traceparent) {
            cart.call().header("traceparent", traceparent).body(details()).post(cart.path() + "/checkout").then().statusCode(202);
        }
    }

    /** A new, empty cart with its cookie, as a visitor's browser makes it. */
    static Cart newCart(Suite suite) {
        Api anonymous = new Api(suite, null);
        Response created = anonymous.anonymous(Service.SALES).body("{}").post("/api/v1/shop/carts");
        created.then().statusCode(201);
        return new Cart(anonymous, created.path("id"), created.getCookie(COOKIE));
    }

    /**
     * A purchase of the cart at {@code total} for a new organization, by a visitor whose email begins
     * with {@code emailPrefix} (which says who pays on Stripe's page: {@link Checkout}).
     */
    static Purchase purchase(Cart cart, String emailPrefix, BigDecimal total) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return new Purchase(cart, emailPrefix + "." + run + "@example.net", "e2e-shop-" + run, total);
    }

    /** A cart of two products, one of them with seats (isp-core ×2, support-desk ×2), to be bought as {@link #purchase} says. */
    static Purchase ofTwoProducts(Suite suite, String emailPrefix) {
        Cart cart = newCart(suite);
        cart.put("isp-core", 2);
        return purchase(cart, emailPrefix, cart.put("support-desk", 2));
    }

    /**
     * Waits until the quote's journey (quote_accepted) has taken the payment and waits for it, the
     * "pay here" email sent: where a visitor who pays later than at once finds it.
     */
    static void awaitJourneyAtPayment(Workflows workflows, String quoteId, Duration timeout) {
        workflows.awaitState(workflows.awaitExecution("quote_accepted", quoteId, timeout), timeout, "waiting for billing.payment.updated",
                detail -> "billing.payment.updated".equals(detail.getString("wait_event")));
    }

    /** The emails to {@code email} that link no Checkout page: the welcome. */
    static List<MimeMessage> welcomes(Suite suite, String email) {
        return Effects.messagesTo(suite, email).stream().filter(m -> Checkout.pageIn(m).isEmpty()).toList();
    }

    /** The ids of the quotes crm made of the cart: those of the leads whose source is the cart. */
    static List<String> quotesOf(Api vendor, String cartId) {
        return Effects.all(() -> vendor.to(Service.CRM), "/api/v1/crm/leads").stream()
                .filter(lead -> cartId.equals(lead.get("source_ref")))
                .flatMap(lead -> Effects.all(() -> vendor.to(Service.CRM), "/api/v1/crm/leads/" + lead.get("id") + "/quotes").stream())
                .map(quote -> (String) quote.get("id")).toList();
    }

    /** The shop's accepted quote as {@link Effects#count} takes a customer: the visitor's email and organization, the products quoted. */
    static Onboarding.Customer customer(Api vendor, String quoteId) {
        JsonPath quote = vendor.to(Service.CRM).get("/api/v1/crm/quotes/{id}", quoteId).then().statusCode(200).extract().jsonPath();
        return new Onboarding.Customer(new Onboarding.Lead(quote.getString("lead_id"), quote.getString("customer_email"),
                quote.getString("organization_slug"), null), quoteId, quote.getString("quote_number"), quote.getList("items"));
    }
}
