package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A monthly customer cancels through the link in their renewal's receipt: the signed link opens
 * billing's page, they confirm, and their subscription is set to end at its period's end (nothing
 * ends before). The stand-in's test clock then reaches the period's end: Stripe ends the
 * subscription, billing publishes billing.subscription.cancelled, and the built-in
 * subscription_cancelled (published by the tenant with a retention of seconds instead of 30 days)
 * expires the licenses at once and tears the platform down after the retention. Everything is read
 * through the services' public APIs and the SMTP server.
 */
@ExtendWith(SuiteExtension.class)
class CancellationIT {

    private static final Pattern CANCEL_LINK = Pattern.compile("https?://[^\\s\"<>]+/billing/cancel\\?token=[A-Za-z0-9_.=-]+");

    @Test
    void theCustomersLinkEndsTheSubscriptionAtItsPeriodsEndThenTheLicensesExpireAndThePlatformGoesAfterTheRetention(Suite suite)
            throws Exception {
        String tenant = suite.newTenant("cancel");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        workflows.store(Workflows.withTimeouts(workflows.definition("subscription_cancelled"), Map.of("keep_for_retention", 3)));
        Onboarding.Subscriber subscriber = new Onboarding(api, workflows).subscriber("leaving");
        Onboarding.Customer customer = subscriber.customer();
        String subscription = subscriber.stripeSubscription();
        String recorded = api.to(Service.BILLING).queryParam("quote_id", customer.quoteId()).get("/api/v1/billing/subscriptions")
                .then().statusCode(200).extract().path("items[0].id");

        // A month later the renewal is paid; its receipt carries the customer's link to cancel.
        Checkout.nextPeriod(suite, subscription, "paid");
        MimeMessage receipt = await("the receipt").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> Effects.messagesTo(suite, customer.email()).stream()
                        .filter(m -> Checkout.subject(m).startsWith("Your DotMac subscription is paid until")).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
        Matcher link = CANCEL_LINK.matcher(Checkout.text(receipt));
        assertTrue(link.find(), "the receipt links the customer's cancellation");
        String page = link.group();
        String token = page.substring(page.indexOf("token=") + "token=".length());
        RestAssured.given().get(page).then().statusCode(200);
        RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(page.substring(0, page.indexOf('?'))).then().statusCode(200);

        JsonPath set = api.to(Service.BILLING).get("/api/v1/billing/subscriptions/{id}", recorded).then().statusCode(200)
                .body("cancel_at_period_end", equalTo(true)).body("status", equalTo("active")).extract().jsonPath();
        // Until the period's end nothing ends: the licenses still verify.
        for (Map<String, Object> license : Effects.licenses(api, customer.slug())) {
            assertEquals("active", license.get("status"), license.toString());
        }

        // The period's end: Stripe ends the subscription instead of renewing it.
        Checkout.nextPeriod(suite, subscription, "paid");
        String ended = await("subscription_cancelled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> workflows.ofWorkflow("subscription_cancelled"), found -> found.size() == 1).get(0);
        await("the licenses expired").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (Map<String, Object> license : Effects.licenses(api, customer.slug())) {
                assertEquals("expired", license.get("status"), license.toString());
                api.anonymous(Service.LICENSING).body(Map.of("key", license.get("license_key"))).post("/api/v1/licenses/verify")
                        .then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("expired"));
            }
        });
        JsonPath done = workflows.awaitStatus(ended, Duration.ofSeconds(60), "completed");
        assertEquals(List.of("completed", "completed", "completed", "completed", "failed", "completed"), done.getList("steps.status"),
                Workflows.describe(done));
        assertEquals(set.getString("id"), done.getString("context.subscription_id"));
        JsonPath order = api.to(Service.SALES).queryParam("organization_slug", customer.slug()).get("/api/v1/sales/orders")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("cancelled", order.getString("items[0].status"));
        assertEquals("deprovisioned", order.getString("items[0].tenant.status"));
        api.to(Service.BILLING).get("/api/v1/billing/subscriptions/{id}", recorded).then().statusCode(200)
                .body("status", equalTo("canceled"));
    }
}
