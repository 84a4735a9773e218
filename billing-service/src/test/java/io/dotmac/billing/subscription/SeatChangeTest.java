package io.dotmac.billing.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.EXACT_NUMBERS;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.billing.reconciliation.SeatChangeReconciler;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.billing.testing.Subscribers;
import io.dotmac.billing.testing.Subscribers.Subscribed;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seat changes against the Stripe stand-in: a subscription started by a paid Checkout Session,
 * re-priced for an accepted change quote that crm-service (the {@link CrmStub}) serves, prorated
 * and invoiced by the stand-in as Stripe does, and settled by its webhooks when the card declined.
 */
@QuarkusTest
class SeatChangeTest {

    static final String TENANT = unique("tenant");
    static final String ENGINE = TestTokens.engine(TENANT);
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String CHANGES = "/api/v1/billing/subscriptions/changes";

    @TestHTTPResource("/api/v1/billing/webhooks/stripe")
    URL webhooks;
    @Inject
    StripeGateway stripe;
    @Inject
    SeatChangeReconciler reconciler;
    @Inject
    Pool pool;

    @BeforeEach
    void routeTheStandInsWebhooksHere() {
        StripeStub.checkout().sendWebhooksTo(webhooks.toString());
    }

    @AfterEach
    void routeThemNowhere() {
        StripeStub.checkout().sendWebhooksTo(null);
    }

    /** crm-service serves an accepted change of the subscription's quote with this total; its id. */
    private static String acceptedChange(Subscribed subscription, String total) {
        String quote = UUID.randomUUID().toString();
        Map<String, Object> change = CrmStub.quote(quote, "accepted", total, "USD", "buyer@example.com");
        change.put("kind", "change");
        change.put("changes_quote_id", subscription.quoteId());
        CrmStub.serve(change);
        return quote;
    }

    private static ValidatableResponse change(String token, String quote) {
        return given().config(EXACT_NUMBERS).auth().oauth2(token).contentType("application/json")
                .body("{\"quote_id\": \"" + quote + "\"}").when().post(CHANGES).then();
    }

    private static JsonPath atStripe(String path) {
        return given().when().get(StripeStub.server().baseUrl() + path).then().statusCode(200).extract().jsonPath();
    }

    private static int stripeWrites(Subscribed subscription) {
        return StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription.stripeId()))).size();
    }

    private static void card(Subscribed subscription, String outcome) {
        given().contentType("application/x-www-form-urlencoded").formParam("outcome", outcome).when()
                .post(StripeStub.server().baseUrl() + "/_standin/subscriptions/" + subscription.stripeId() + "/card")
                .then().statusCode(200);
    }

    @Test
    void moreSeatsAreProratedAsStripeBillsThemAndMadeOnceHoweverOftenAsked() throws Throwable {
        Subscribed subscription = Subscribers.started(stripe, TENANT, 4900);
        String quote = acceptedChange(subscription, "98.00");

        var made = change(ENGINE, quote).statusCode(200)
                .body("quote_id", equalTo(quote))
                .body("subscription_id", equalTo(subscription.id()))
                .body("subscription_quote_id", equalTo(subscription.quoteId()))
                .body("stripe_subscription_id", equalTo(subscription.stripeId()))
                .body("sequence", equalTo(1))
                .body("status", equalTo("applied"))
                .body("amount", equalTo(new BigDecimal("98.00")))
                .body("currency", equalTo("USD")).extract().jsonPath();
        // The figures are Stripe's invoice's: a credit for the unused time at 49.00, a charge for it at 98.00.
        JsonPath invoice = atStripe("/v1/invoices/" + made.getString("stripe_invoice_id"));
        assertEquals("subscription_update", invoice.getString("billing_reason"));
        assertEquals("paid", invoice.getString("status"));
        BigDecimal prorated = made.get("prorated_amount");
        BigDecimal credited = made.get("credited_amount");
        BigDecimal charged = made.get("charged_amount");
        assertEquals(BigDecimal.valueOf(invoice.getLong("total"), 2), prorated);
        assertEquals(charged.subtract(credited), prorated);
        assertTrue(charged.compareTo(credited) > 0 && charged.compareTo(new BigDecimal("98.00")) <= 0, made.prettify());
        // The subscription is billed the new price from its next period.
        assertEquals(9800, atStripe("/v1/subscriptions/" + subscription.stripeId()).getInt("items.data[0].price.unit_amount"));

        // Asked again (the engine's retry), the same change, Stripe not asked to make it again.
        int writes = stripeWrites(subscription);
        change(ENGINE, quote).statusCode(200).body("id", equalTo(made.getString("id"))).body("status", equalTo("applied"));
        assertEquals(writes, stripeWrites(subscription));
        get(READER, CHANGES + "/" + quote).statusCode(200).body("id", equalTo(made.getString("id"))).body("sequence", equalTo(1));

        // A second change is the subscription's second.
        change(ENGINE, acceptedChange(subscription, "49.00")).statusCode(200).body("sequence", equalTo(2)).body("status", equalTo("applied"));
    }

    @Test
    void aDeclinedCardHoldsTheChangeUntilItsInvoiceIsPaid() throws Throwable {
        Subscribed subscription = Subscribers.started(stripe, TENANT, 4900);
        card(subscription, "declined");
        String quote = acceptedChange(subscription, "147.00");
        String invoice = change(ENGINE, quote).statusCode(200).body("status", equalTo("awaiting_payment"))
                .extract().path("stripe_invoice_id");
        // Stripe keeps the subscription as it was, the change pending on the open invoice.
        JsonPath atStripe = atStripe("/v1/subscriptions/" + subscription.stripeId());
        assertEquals(4900, atStripe.getInt("items.data[0].price.unit_amount"));
        assertTrue(atStripe.get("pending_update") != null, atStripe.prettify());
        // Stripe holds one pending update: another change waits until this one is paid or expires.
        change(ENGINE, acceptedChange(subscription, "98.00")).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("awaits the payment of invoice " + invoice));

        // The customer pays on the invoice's page: Stripe applies the change, its webhook tells billing.
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").when()
                .post(StripeStub.server().baseUrl() + "/invoice/" + invoice + "/pay").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get(READER, CHANGES + "/" + quote).statusCode(200)
                .body("status", equalTo("applied")));
    }

    @Test
    void aChangeWhoseAnswerWasLostIsAskedOfStripeAgainWithItsOwnKeyAndHoldsTheNextMeanwhile() throws Throwable {
        Subscribed subscription = Subscribers.started(stripe, TENANT, 4900);
        String quote = acceptedChange(subscription, "98.00");
        JsonPath made = change(ENGINE, quote).statusCode(200).body("status", equalTo("applied")).extract().jsonPath();
        // As if billing had stopped before Stripe's answer was recorded: the change still pending, since an hour.
        pool.preparedQuery("""
                        UPDATE subscription_changes SET status = 'pending', stripe_invoice_id = NULL, prorated_amount = NULL,
                               credited_amount = NULL, charged_amount = NULL, updated_at = now() - interval '1 hour'
                        WHERE quote_id = $1""").execute(Tuple.of(quote)).await().atMost(Duration.ofSeconds(10));

        // The next change of the subscription waits for it: a 503, which the engine retries.
        change(ENGINE, acceptedChange(subscription, "49.00")).statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("is being made at Stripe"));

        VertxContextSupport.subscribeAndAwait(() -> reconciler.reconcile(Duration.ofMinutes(10)));
        // Stripe answered as the first time (its Idempotency-Key): the same invoice and figures, no second change.
        get(READER, CHANGES + "/" + quote).statusCode(200).body("status", equalTo("applied"))
                .body("stripe_invoice_id", equalTo(made.getString("stripe_invoice_id")))
                .body("prorated_amount", equalTo(made.get("prorated_amount")));
        assertEquals(made.getString("stripe_invoice_id"), atStripe("/v1/subscriptions/" + subscription.stripeId()).getString("latest_invoice"));
    }

    @Test
    void onlyAnAcceptedChangeOfTheTenantsLiveSubscriptionIsMade() throws Throwable {
        Subscribed subscription = Subscribers.started(stripe, TENANT, 4900);
        String notAChange = UUID.randomUUID().toString();
        CrmStub.serveAccepted(notAChange, "98.00", "USD", "buyer@example.com");
        change(ENGINE, notAChange).statusCode(422).contentType("application/problem+json").body("detail", containsString("is no seat change"));

        String sent = UUID.randomUUID().toString();
        Map<String, Object> unaccepted = CrmStub.quote(sent, "sent", "98.00", "USD", "buyer@example.com");
        unaccepted.put("kind", "change");
        unaccepted.put("changes_quote_id", subscription.quoteId());
        CrmStub.serve(unaccepted);
        change(ENGINE, sent).statusCode(409).body("detail", containsString("not accepted"));

        // Another tenant's subscription is not found there.
        String theirs = acceptedChange(subscription, "98.00");
        change(TestTokens.engine(unique("tenant")), theirs).statusCode(422).body("detail", containsString("has no subscription in this tenant"));
        // A reader may look, not change.
        change(READER, theirs).statusCode(403);
        get(READER, CHANGES + "/" + theirs).statusCode(404).contentType("application/problem+json");
        change(ENGINE, theirs).statusCode(200);
        assertEquals(1, stripeWrites(subscription));

        // Past due: its open invoice is paid first.
        Subscribers.periodEnds(subscription, "declined");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get(READER, "/api/v1/billing/subscriptions/" + subscription.id())
                .statusCode(200).body("status", equalTo("past_due")));
        change(ENGINE, acceptedChange(subscription, "49.00")).statusCode(409).body("detail", containsString("is past_due"));
        given().auth().oauth2(ENGINE).contentType("application/json").body("{}").when().post(CHANGES).then().statusCode(400)
                .contentType("application/problem+json");
    }
}
