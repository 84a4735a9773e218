package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A monthly customer buys more seats mid-period: an operator quotes the change in crm-service, the
 * customer accepts it, and the built-in subscription_changed (not a second onboarding) has billing
 * re-price the subscription through the Stripe stand-in, which prorates the rest of the period and
 * charges it at once, then licensing gives the license set the new seats under new keys with the
 * same expiry (the earlier key of fewer seats valid while the new one is rolled out); back to fewer
 * seats, Stripe credits the unused time and no key of more seats verifies. Read through the public APIs.
 */
@ExtendWith(SuiteExtension.class)
class SeatChangeIT {

    private static final String CHANGED = "subscription_changed";

    @Test
    void moreSeatsArePaidProRataAndLicensedAtOnceAndFewerAreCredited(Suite suite) {
        String tenant = suite.newTenant("seats");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding.Subscriber subscriber = new Onboarding(api, workflows).subscriber("seats");
        Onboarding.Customer customer = subscriber.customer();
        Map<String, Map<String, Object>> before = byProduct(Effects.licenses(api, customer.slug()));
        assertEquals(2, ((Number) before.get("support-desk").get("seats")).intValue());

        // The operator quotes five support seats instead of two; the customer accepts.
        String changeId = accepted(api, customer, List.of(Map.of("product_code", "isp-core", "quantity", 1),
                Map.of("product_code", "support-desk", "quantity", 5)));
        JsonPath change = api.to(Service.CRM).get("/api/v1/crm/quotes/{id}", changeId).then().statusCode(200)
                .body("kind", equalTo("change")).body("changes_quote_id", equalTo(customer.quoteId())).extract().jsonPath();

        List<Map<String, Object>> executions = await("subscription_changed of " + changeId).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> workflows.list(changeId),
                        found -> found.size() == 1 && "completed".equals(found.get(0).get("status")));
        assertEquals(CHANGED, executions.get(0).get("workflow_name"), "a seat change is not a new customer's journey");

        // billing: the subscription re-priced to the change's total, the rest of the period charged pro rata.
        JsonPath made = api.to(Service.BILLING).get("/api/v1/billing/subscriptions/changes/{id}", changeId).then().statusCode(200)
                .body("status", equalTo("applied")).body("sequence", equalTo(1)).extract().jsonPath();
        BigDecimal total = new BigDecimal(change.getString("total_amount"));
        assertEquals(0, total.compareTo(new BigDecimal(made.getString("amount"))));
        BigDecimal prorated = new BigDecimal(made.getString("prorated_amount"));
        assertTrue(prorated.signum() > 0 && prorated.compareTo(total) < 0, made.prettify());
        JsonPath atStripe = RestAssured.given().get(suite.stripe().baseUrl() + "/v1/subscriptions/" + subscriber.stripeSubscription())
                .then().statusCode(200).extract().jsonPath();
        assertEquals(total.movePointRight(2).longValueExact(), atStripe.getLong("items.data[0].price.unit_amount"));

        // licensing: five seats under a new key, the same expiry; the two-seat key stays valid while the new one is rolled out.
        Map<String, Map<String, Object>> after = byProduct(Effects.licenses(api, customer.slug()));
        Map<String, Object> desk = after.get("support-desk");
        assertEquals(5, ((Number) desk.get("seats")).intValue());
        assertEquals(before.get("support-desk").get("expires_at"), desk.get("expires_at"));
        verify(api, (String) desk.get("license_key"), true);
        verify(api, (String) before.get("support-desk").get("license_key"), true);
        assertEquals(before.get("isp-core").get("license_key"), after.get("isp-core").get("license_key"), "an unchanged product keeps its key");

        // Back to one seat: Stripe credits the unused time (nothing charged now), and no key of more seats verifies.
        String fewer = accepted(api, customer, List.of(Map.of("product_code", "isp-core", "quantity", 1),
                Map.of("product_code", "support-desk", "quantity", 1)));
        await("subscription_changed of " + fewer).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> workflows.list(fewer), found -> found.size() == 1 && "completed".equals(found.get(0).get("status")));
        JsonPath credit = api.to(Service.BILLING).get("/api/v1/billing/subscriptions/changes/{id}", fewer).then().statusCode(200)
                .body("status", equalTo("applied")).body("sequence", equalTo(2)).extract().jsonPath();
        assertTrue(new BigDecimal(credit.getString("prorated_amount")).signum() < 0, credit.prettify());
        Map<String, Object> one = byProduct(Effects.licenses(api, customer.slug())).get("support-desk");
        assertEquals(1, ((Number) one.get("seats")).intValue());
        verify(api, (String) one.get("license_key"), true);
        verify(api, (String) desk.get("license_key"), false);
        verify(api, (String) before.get("support-desk").get("license_key"), false);
    }

    /** An operator quotes the subscription's products in these quantities and the customer accepts: the change quote's id. */
    private static String accepted(Api api, Onboarding.Customer customer, List<Map<String, Object>> products) {
        String id = api.to(Service.CRM).header("Idempotency-Key", "e2e-change-" + UUID.randomUUID()).body(Map.of("products", products))
                .post("/api/v1/crm/quotes/{id}/changes", customer.quoteId()).then().statusCode(201).extract().path("id");
        api.to(Service.CRM).header("Idempotency-Key", "e2e-send-" + id).post("/api/v1/crm/quotes/{id}/send", id).then().statusCode(200);
        api.to(Service.CRM).header("Idempotency-Key", "e2e-accept-" + id).body(Map.of("accepted_by", customer.email()))
                .post("/api/v1/crm/quotes/{id}/accept", id).then().statusCode(200);
        return id;
    }

    private static Map<String, Map<String, Object>> byProduct(List<Map<String, Object>> licenses) {
        return licenses.stream().filter(l -> !"revoked".equals(l.get("status")))
                .collect(Collectors.toMap(l -> (String) l.get("product_code"), l -> l));
    }

    private static void verify(Api api, String key, boolean valid) {
        api.anonymous(Service.LICENSING).body(Map.of("key", key)).post("/api/v1/licenses/verify").then().statusCode(200)
                .body("valid", equalTo(valid));
    }
}
