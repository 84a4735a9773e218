package io.dotmac.billing.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.age;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.paymentBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.dotmac.billing.BillingTestSupport.reconcile;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.Stripe;
import io.dotmac.billing.reconciliation.PaymentReconciler;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.common.testing.TestTokens;
import io.dotmac.standin.stripe.HostedCheckout;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer on the hosted Checkout page, end to end through billing's API: the payment for a
 * monthly quote opens a session in subscription mode on the stand-in ({@link HostedCheckout}),
 * the customer follows its {@code checkout_url}, declines, pays, or leaves the page open until it
 * closes, and billing learns each outcome from the signed webhooks the stand-in sends to its
 * endpoint (or, when that webhook is lost, from the session, asked by the reconciliation job).
 * The subscription paying starts renews on the stand-in's test clock, and a refund ends it.
 * Sessions close after 12 seconds here, an expiry billing accepts because the API is a stand-in.
 */
@QuarkusTest
@TestProfile(HostedCheckoutTest.OnAShortCheckout.class)
class HostedCheckoutTest {

    /** Customers pay on the page (as in CheckoutTest), which closes soon enough for a test to see it close. */
    public static class OnAShortCheckout extends CheckoutTest.OnStripeCheckout {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("billing.stripe.checkout.expiry", EXPIRY.toSeconds() + "s");
            return overrides;
        }
    }

    static final Duration EXPIRY = Duration.ofSeconds(12);
    static final String TENANT = unique("tenant");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final Pattern TESTID = Pattern.compile("data-testid=\"([a-z-]+)\"[^>]*>([^<]*)<");

    @TestHTTPResource("/api/v1/billing/webhooks/stripe")
    URL webhooks;

    @Inject
    Pool pool;

    @Inject
    PaymentReconciler reconciler;

    @BeforeEach
    void sendTheStandInsWebhooksToBilling() {
        StripeStub.checkout().sendWebhooksTo(webhooks.toString());
    }

    @AfterEach
    void sendNoMore() {
        StripeStub.checkout().sendWebhooksTo(null);
    }

    /** A payment for a new quote of this amount in USD, for this customer: its id and Checkout page. */
    private static String[] newPayment(String quote, String amount, String email) {
        Response payment = processPayment(OPERATOR, null, paymentBody(quote, amount, "USD", email)).statusCode(201)
                .body("status", equalTo("pending")).extract().response();
        return new String[] {payment.path("id"), payment.path("checkout_url")};
    }

    /** The text of the page's element with this data-testid (null: none). */
    private static String testid(String html, String id) {
        Matcher matcher = TESTID.matcher(html);
        while (matcher.find()) {
            if (matcher.group(1).equals(id)) {
                return matcher.group(2);
            }
        }
        return null;
    }

    private static Response press(String page, String button) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded").when().post(page + "/" + button);
    }

    private static void awaitPayment(String id, String status, String failureMessage) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get(OPERATOR, "/api/v1/billing/payments/" + id)
                .statusCode(200).body("status", equalTo(status)).body("failure_message", equalTo(failureMessage)));
    }

    @Test
    void theStandInsEventsAreOfTheApiVersionBillingsStripeClientReads() {
        assertEquals(Stripe.API_VERSION, HostedCheckout.API_VERSION);
    }

    /** The stand-in's test clock: the subscription's next period, paid or declined. */
    private static void nextPeriod(String subscription, String outcome) {
        given().contentType("application/x-www-form-urlencoded").formParam("outcome", outcome)
                .when().post(StripeStub.server().baseUrl() + "/_standin/subscriptions/" + subscription + "/next_period")
                .then().statusCode(200);
    }

    /** A payment for a new monthly quote, paid on its page: its id. */
    private static String paid(String quote, String amount) {
        String[] payment = newPayment(quote, amount, "buyer." + quote.substring(0, 8) + "@example.com");
        assertEquals(303, press(payment[1], "pay").statusCode());
        awaitPayment(payment[0], "succeeded", null);
        return payment[0];
    }

    @Test
    void aCustomerDeclinedOnThePageTriesAgainAndPaysAndBillingHearsItByWebhook() {
        String quote = UUID.randomUUID().toString();
        String[] payment = newPayment(quote, "80.00", "buyer." + quote.substring(0, 8) + "@example.com");
        String id = payment[0];
        String page = payment[1];
        assertEquals(StripeStub.server().baseUrl() + "/checkout/pay/cs_test_" + id, page);

        String html = given().when().get(page).then().statusCode(200).extract().asString();
        assertEquals("80.00 USD", testid(html, "amount"));
        assertEquals("Quote " + quote, testid(html, "product"));
        assertTrue(html.contains("data-testid=\"pay-button\"") && html.contains("data-testid=\"decline-button\""), html);

        // In subscription mode Stripe tells billing nothing of a declined attempt: the page does the customer.
        Response declined = press(page, "decline");
        assertEquals(200, declined.statusCode());
        assertEquals("Your card was declined.", testid(declined.asString(), "message"));
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("pending"));

        Response paid = press(page, "pay");
        assertEquals(303, paid.statusCode());
        assertEquals("https://controlplane.local/checkout/paid?session_id=cs_test_" + id, paid.header("Location"));
        awaitPayment(id, "succeeded", null);
        get(OPERATOR, "/api/v1/billing/payments/" + id).body("billing_interval", equalTo("month"))
                .body("stripe_subscription_id", equalTo("sub_" + id)).body("stripe_invoice_id", equalTo("in_" + id + "_0"))
                .body("stripe_customer_id", equalTo("cus_" + id))
                // Asked of Stripe when the session completed: the PaymentIntent that paid the first invoice.
                .body("stripe_payment_intent_id", equalTo("pi_" + id + "_0"));
        assertEquals(1, outboxRows(pool, quote).size(), "billing.payment.received written once");
        // The subscription it started, as Stripe Billing's webhooks told billing: active, its first invoice paid.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(OPERATOR).queryParam("quote_id", quote)
                .when().get("/api/v1/billing/subscriptions").then().statusCode(200).body("total", equalTo(1))
                .body("items[0].stripe_subscription_id", equalTo("sub_" + id)).body("items[0].status", equalTo("active")));

        // Paid again on a completed page: the customer is sent on, nothing else happens.
        assertEquals(303, press(page, "pay").statusCode());
        assertEquals("complete", testid(given().when().get(page).asString(), "status"));
        assertEquals(1, outboxRows(pool, quote).size());
    }

    @Test
    void aPaymentWhoseWebhookIsLostIsLearntFromTheSessionByTheReconciliationJob() {
        String quote = UUID.randomUUID().toString();
        String[] payment = newPayment(quote, "15.00", "lost." + quote.substring(0, 8) + "@example.com");
        String id = payment[0];

        assertEquals(303, press(payment[1], "pay").statusCode());
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("pending"));

        age(pool, UUID.fromString(id));
        reconcile(reconciler, Duration.ofDays(1));

        assertEquals(1, StripeStub.server().findAll(getRequestedFor(urlPathEqualTo("/v1/checkout/sessions/cs_test_" + id))).size());
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("succeeded"))
                .body("stripe_subscription_id", equalTo("sub_" + id)).body("stripe_invoice_id", equalTo("in_" + id + "_0"))
                .body("stripe_payment_intent_id", equalTo("pi_" + id + "_0")).body("failure_message", nullValue());
        assertEquals(1, outboxRows(pool, quote).size());
    }

    @Test
    void aPageLeftUnpaidClosesAndThePaymentFailsNotReceived() {
        String quote = UUID.randomUUID().toString();
        String[] payment = newPayment(quote, "42.00", "slow." + quote.substring(0, 8) + "@example.com");

        await().atMost(EXPIRY.plusSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                get(OPERATOR, "/api/v1/billing/payments/" + payment[0]).statusCode(200).body("status", equalTo("failed"))
                        .body("failure_message", equalTo(StripeWebhooks.SESSION_EXPIRED)));
        assertEquals("expired", testid(given().when().get(payment[1]).asString(), "status"));
        assertEquals(0, outboxRows(pool, quote).size());
    }

    @Test
    void theSubscriptionAPaymentStartedRenewsOnTheTestClockAndBillingPublishesEachPaidInvoiceOnce() {
        String quote = UUID.randomUUID().toString();
        String id = paid(quote, "99.00");
        String subscription = "sub_" + id;

        nextPeriod(subscription, "paid");
        nextPeriod(subscription, "declined");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(2,
                outboxRows(pool, "billing.invoice.paid", subscription).size(), "the first invoice and the renewal's"));
        assertEquals(1, outboxRows(pool, "billing.invoice.payment_failed", subscription).size());
        String recorded = given().auth().oauth2(OPERATOR).queryParam("quote_id", quote).when().get("/api/v1/billing/subscriptions")
                .then().statusCode(200).body("items[0].status", equalTo("past_due")).extract().path("items[0].id");
        String renewal = given().auth().oauth2(OPERATOR).when().get("/api/v1/billing/subscriptions/" + recorded).then().statusCode(200)
                .body("invoices.size()", equalTo(3)).body("invoices.status", hasItems("paid", "open"))
                .body("invoices.stripe_invoice_id", equalTo(List.of("in_" + id + "_2", "in_" + id + "_1", "in_" + id + "_0")))
                .extract().path("invoices[1].id");

        // One invoice by billing's id, as the renewal's readers (licensing, notification) ask for it.
        given().auth().oauth2(TestTokens.token(TENANT, "reader")).when().get("/api/v1/billing/invoices/" + renewal).then()
                .statusCode(200).body("id", equalTo(renewal)).body("subscription_id", equalTo(recorded))
                .body("quote_id", equalTo(quote)).body("status", equalTo("paid")).body("billing_reason", equalTo("subscription_cycle"))
                .body("period_end", notNullValue());
        given().auth().oauth2(TestTokens.token(unique("tenant"), "reader")).when().get("/api/v1/billing/invoices/" + renewal)
                .then().statusCode(404);
        given().auth().oauth2(OPERATOR).when().get("/api/v1/billing/invoices/not-an-id").then().statusCode(404);
        given().when().get("/api/v1/billing/invoices/" + renewal).then().statusCode(401);

        // Refunding the first payment now would keep what the renewal took: refused, nothing changed at Stripe.
        given().auth().oauth2(OPERATOR).contentType("application/json").body("{}")
                .when().post("/api/v1/billing/payments/" + id + "/refund").then().statusCode(409)
                .body("detail", containsString("has renewed since"));
        // Nor, once the first month was refunded in Stripe's dashboard (goodwill), does a refund call end the paying
        // customer's subscription.
        String payload = StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "charge.refunded",
                StripeEvents.charge("pi_" + id + "_0", 9900, 9900));
        given().contentType("application/json; charset=utf-8").body(payload)
                .header("Stripe-Signature", StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()))
                .when().post(webhooks.toString()).then().statusCode(200);
        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("refunded"));
        given().auth().oauth2(OPERATOR).contentType("application/json").body("{}")
                .when().post("/api/v1/billing/payments/" + id + "/refund").then().statusCode(409)
                .body("detail", containsString("has renewed since"));
        assertEquals(0, StripeStub.server().findAll(deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription))).size());
    }

    @Test
    void refundingAPaymentThatStartedASubscriptionEndsItAndGivesBackWhatItsFirstInvoiceTook() {
        String quote = UUID.randomUUID().toString();
        String id = paid(quote, "60.00");

        given().auth().oauth2(OPERATOR).contentType("application/json").body("{\"reason\": \"provisioning failed\"}")
                .when().post("/api/v1/billing/payments/" + id + "/refund").then().statusCode(200)
                .body("status", equalTo("refunded")).body("stripe_payment_intent_id", equalTo("pi_" + id + "_0"));
        given().auth().oauth2(OPERATOR).when().post("/api/v1/billing/payments/" + id + "/refund").then().statusCode(200)
                .body("status", equalTo("refunded"));

        assertEquals(1, StripeStub.server().findAll(deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_" + id))).size(),
                "the subscription cancelled once");
        assertEquals(1, StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/refunds"))
                .withRequestBody(containing("payment_intent=pi_" + id + "_0"))).size(), "one refund, of the invoice's PaymentIntent");
        given().when().get(StripeStub.server().baseUrl() + "/v1/subscriptions/sub_" + id).then().statusCode(200)
                .body("status", equalTo("canceled"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(1,
                outboxRows(pool, "billing.subscription.cancelled", "sub_" + id).size()));
    }

    @Test
    void aRefundMadeInStripesDashboardOfAPaymentThatStartedASubscriptionIsRecorded() {
        String quote = UUID.randomUUID().toString();
        String id = paid(quote, "45.00");
        String payload = StripeEvents.event("evt_" + UUID.randomUUID().toString().replace("-", ""), "charge.refunded",
                StripeEvents.charge("pi_" + id + "_0", 4500, 4500));

        given().contentType("application/json; charset=utf-8").body(payload)
                .header("Stripe-Signature", StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()))
                .when().post(webhooks.toString()).then().statusCode(200).body("outcome", equalTo("applied"));

        get(OPERATOR, "/api/v1/billing/payments/" + id).statusCode(200).body("status", equalTo("refunded"))
                .body("stripe_refund_id", nullValue());

        // Billing's own refund then (the journey's undo) ends the subscription the dashboard left running, refunds nothing.
        given().auth().oauth2(OPERATOR).contentType("application/json").body("{}")
                .when().post("/api/v1/billing/payments/" + id + "/refund").then().statusCode(200).body("status", equalTo("refunded"));
        assertEquals(1, StripeStub.server().findAll(deleteRequestedFor(urlPathEqualTo("/v1/subscriptions/sub_" + id))).size());
        assertEquals(0, StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/refunds"))
                .withRequestBody(containing("payment_intent=pi_" + id + "_0"))).size());
    }
}
