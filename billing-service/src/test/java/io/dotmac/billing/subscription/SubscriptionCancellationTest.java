package io.dotmac.billing.subscription;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.Subscribers;
import io.dotmac.billing.testing.Subscribers.Subscribed;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subscription cancelled at its period's end, and resumed, through the API and through the
 * customer's signed link and its page, against the Stripe stand-in: each subscription is started
 * there by a paid Checkout Session in subscription mode and recorded by billing from the
 * stand-in's webhooks, which also carry each change back, and its test clock ends the period.
 */
@QuarkusTest
class SubscriptionCancellationTest {

    static final String TENANT = unique("tenant");
    static final String OPERATOR = TestTokens.token(TENANT, "operator");
    static final String ADMIN = TestTokens.token(TENANT, "admin");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String ENGINE = TestTokens.engine(TENANT);
    static final String SUBSCRIPTIONS = "/api/v1/billing/subscriptions";
    static final String PUBLIC_URL = "https://billing.controlplane.test";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    @TestHTTPResource("/api/v1/billing/webhooks/stripe")
    URL webhooks;
    @Inject
    StripeGateway stripe;
    @Inject
    CancelLinks links;
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

    private Subscribed started(String tenant) throws Throwable {
        return Subscribers.started(stripe, tenant, 4900);
    }

    private static ValidatableResponse post(String token, String path, String body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request.contentType("application/json").body(body);
        }
        return request.when().post(SUBSCRIPTIONS + "/" + path).then();
    }

    /** The requests that changed the subscription at Stripe. */
    private static int stripeWrites(Subscribed subscription) {
        return StripeStub.server().findAll(postRequestedFor(urlPathEqualTo("/v1/subscriptions/" + subscription.stripeId()))).size();
    }

    private static ValidatableResponse atStripe(Subscribed subscription) {
        return given().when().get(StripeStub.server().baseUrl() + "/v1/subscriptions/" + subscription.stripeId()).then().statusCode(200);
    }

    private static void periodEnds(Subscribed subscription) {
        Subscribers.periodEnds(subscription, "paid");
    }

    /** The cancellation link's token, made for the tenant's subscription by the API. */
    private static String linkToken(Subscribed subscription) {
        String url = post(ENGINE, subscription.id() + "/cancel-link", null).statusCode(200).extract().path("url");
        return url.substring(url.indexOf("?token=") + "?token=".length());
    }

    private static ValidatableResponse page(String token) {
        return given().queryParam("token", token).when().get(CancelLinks.PATH).then();
    }

    private static ValidatableResponse confirm(String token) {
        return given().contentType("application/x-www-form-urlencoded").formParam("token", token).when().post(CancelLinks.PATH).then();
    }

    private static String periodEnd(Subscribed subscription) {
        String end = get(READER, SUBSCRIPTIONS + "/" + subscription.id()).statusCode(200).extract().path("current_period_end");
        return DAY.format(OffsetDateTime.parse(end).withOffsetSameInstant(ZoneOffset.UTC));
    }

    @Test
    void cancelledAtItsPeriodsEndOnceHoweverOftenAskedTheSubscriptionEndsThen() throws Throwable {
        Subscribed subscription = started(TENANT);
        String token = linkToken(subscription);

        post(OPERATOR, subscription.id() + "/cancel", "{\"reason\": \"the customer moves to another plan\"}").statusCode(200)
                .body("id", equalTo(subscription.id())).body("status", equalTo("active")).body("cancel_at_period_end", equalTo(true))
                .body("current_period_end", notNullValue()).body("invoices", hasSize(1));
        atStripe(subscription).body("cancel_at_period_end", equalTo(true));
        get(READER, SUBSCRIPTIONS + "/" + subscription.id()).body("cancel_at_period_end", equalTo(true));
        // Again, without a body: the same answer, without asking Stripe to change anything.
        post(ADMIN, subscription.id() + "/cancel", null).statusCode(200).body("cancel_at_period_end", equalTo(true));
        assertEquals(1, stripeWrites(subscription));

        periodEnds(subscription);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> get(READER, SUBSCRIPTIONS + "/" + subscription.id())
                .body("status", equalTo("canceled")));
        assertEquals(1, outboxRows(pool, "billing.subscription.cancelled", subscription.stripeId()).size());

        post(OPERATOR, subscription.id() + "/cancel", null).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("has ended"));
        post(OPERATOR, subscription.id() + "/resume", null).statusCode(409).contentType("application/problem+json");
        post(ENGINE, subscription.id() + "/cancel-link", null).statusCode(409);
        // A link handed out before: its page says so, and its form changes nothing.
        page(token).statusCode(200).contentType(startsWith("text/html")).body(containsString("has ended"))
                .body(not(containsString("confirm-button")));
        confirm(token).statusCode(409).contentType(startsWith("text/html")).body(containsString("has ended"));
        assertEquals(1, stripeWrites(subscription));
    }

    @Test
    void resumedBeforeItsPeriodsEndTheSubscriptionRenewsAgain() throws Throwable {
        Subscribed subscription = started(TENANT);

        post(OPERATOR, subscription.id() + "/cancel", null).statusCode(200).body("cancel_at_period_end", equalTo(true));
        post(OPERATOR, subscription.id() + "/resume", "{\"reason\": \"changed their mind\"}").statusCode(200)
                .body("cancel_at_period_end", equalTo(false)).body("status", equalTo("active"));
        post(ADMIN, subscription.id() + "/resume", "{}").statusCode(200).body("cancel_at_period_end", equalTo(false));

        assertEquals(2, stripeWrites(subscription));
        atStripe(subscription).body("cancel_at_period_end", equalTo(false));
        get(READER, SUBSCRIPTIONS + "/" + subscription.id()).body("cancel_at_period_end", equalTo(false));
        periodEnds(subscription);
        atStripe(subscription).body("status", equalTo("active"));
    }

    @Test
    void twoCancellationsAtOnceBothAnswerItIsSetAndLeaveTheRowAsStripeHasIt() throws Throwable {
        Subscribed subscription = started(TENANT);

        List<CompletableFuture<ValidatableResponse>> both = List.of(
                CompletableFuture.supplyAsync(() -> post(OPERATOR, subscription.id() + "/cancel", null)),
                CompletableFuture.supplyAsync(() -> post(ADMIN, subscription.id() + "/cancel", "{\"reason\": \"asked twice\"}")));
        for (CompletableFuture<ValidatableResponse> cancelled : both) {
            cancelled.get(30, TimeUnit.SECONDS).statusCode(200).body("cancel_at_period_end", equalTo(true));
        }

        int writes = stripeWrites(subscription);
        assertTrue(writes == 1 || writes == 2, writes + " writes");
        atStripe(subscription).body("cancel_at_period_end", equalTo(true));
        get(READER, SUBSCRIPTIONS + "/" + subscription.id()).body("cancel_at_period_end", equalTo(true)).body("status", equalTo("active"));
    }

    @Test
    void onlyTheTenantsOperatorsAndAdminsCancelOrResume() throws Throwable {
        Subscribed subscription = started(TENANT);
        String stranger = TestTokens.token(unique("tenant"), "admin");

        for (String change : new String[] {"/cancel", "/resume"}) {
            post(READER, subscription.id() + change, null).statusCode(403).contentType("application/problem+json");
            post(ENGINE, subscription.id() + change, null).statusCode(403);
            given().when().post(SUBSCRIPTIONS + "/" + subscription.id() + change).then().statusCode(401);
            post(stranger, subscription.id() + change, null).statusCode(404).contentType("application/problem+json");
            post(OPERATOR, UUID.randomUUID() + change, null).statusCode(404);
            post(OPERATOR, "not-a-uuid" + change, null).statusCode(404);
        }
        post(OPERATOR, subscription.id() + "/cancel", "{\"reason\": \"" + "x".repeat(501) + "\"}").statusCode(400);
        given().auth().oauth2(OPERATOR).contentType("application/x-www-form-urlencoded").body("reason=form")
                .when().post(SUBSCRIPTIONS + "/" + subscription.id() + "/cancel").then().statusCode(415);

        assertEquals(0, stripeWrites(subscription));
        get(READER, SUBSCRIPTIONS + "/" + subscription.id()).body("cancel_at_period_end", equalTo(false));
    }

    @Test
    void aCancellationLinkIsTheServicesAndAdminsToAskFor() throws Throwable {
        Subscribed subscription = started(TENANT);

        ValidatableResponse link = post(ENGINE, subscription.id() + "/cancel-link", null).statusCode(200)
                .body("url", startsWith(PUBLIC_URL + CancelLinks.PATH + "?token=")).body("expires_at", notNullValue());
        Instant expiresAt = OffsetDateTime.parse(link.extract().path("expires_at")).toInstant();
        Duration validity = Duration.between(Instant.now(), expiresAt);
        assertTrue(validity.compareTo(Duration.ofDays(30)) <= 0 && validity.compareTo(Duration.ofDays(29)) > 0, validity.toString());
        post(ADMIN, subscription.id() + "/cancel-link", null).statusCode(200);

        post(OPERATOR, subscription.id() + "/cancel-link", null).statusCode(403).contentType("application/problem+json");
        post(READER, subscription.id() + "/cancel-link", null).statusCode(403);
        post(TestTokens.token(TENANT, "service"), subscription.id() + "/cancel-link", null).statusCode(403);
        given().when().post(SUBSCRIPTIONS + "/" + subscription.id() + "/cancel-link").then().statusCode(401);
        post(TestTokens.engine(unique("tenant")), subscription.id() + "/cancel-link", null).statusCode(404);
        assertEquals(0, stripeWrites(subscription));
    }

    @Test
    void theCustomerCancelsAtThePeriodsEndOnTheLinksPage() throws Throwable {
        Subscribed subscription = started(TENANT);
        String token = linkToken(subscription);
        String periodEnd = periodEnd(subscription);

        page(token).statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "same-origin")
                .body(containsString("data-testid=\"period-end\">" + periodEnd + "<"))
                .body(containsString("confirm-button")).body(containsString("name=\"token\" value=\"" + token + "\""));
        assertEquals(0, stripeWrites(subscription), "the page alone changes nothing");

        // As a browser posts the page's form: from the page's own origin.
        given().contentType("application/x-www-form-urlencoded").header("Origin", PUBLIC_URL).formParam("token", token)
                .when().post(CancelLinks.PATH).then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("Your subscription ends on <strong data-testid=\"period-end\">" + periodEnd + "</strong>"));
        atStripe(subscription).body("cancel_at_period_end", equalTo(true)).body("status", equalTo("active"));
        get(READER, SUBSCRIPTIONS + "/" + subscription.id()).body("cancel_at_period_end", equalTo(true));

        confirm(token).statusCode(200).body(containsString("ends on"));
        page(token).statusCode(200).body(containsString("ends on")).body(not(containsString("confirm-button")));
        assertEquals(1, stripeWrites(subscription));
    }

    @Test
    void aLinkAlteredExpiredForgedOrPostedFromAnotherSiteCancelsNothing() throws Throwable {
        Subscribed subscription = started(TENANT);
        String otherTenant = unique("tenant");
        Subscribed anothers = started(otherTenant);
        String token = linkToken(subscription);
        char changed = token.charAt(5) == 'A' ? 'B' : 'A';
        String altered = token.substring(0, 5) + changed + token.substring(6);
        String expired = links.sign(TENANT, UUID.fromString(subscription.id()), Instant.now().minusSeconds(60));
        // Signed with the right key, for a subscription the tenant does not have.
        String ofAnotherTenant = links.sign(TENANT, UUID.fromString(anothers.id()), Instant.now().plus(Duration.ofDays(1)));

        for (String refused : new String[] {altered, expired, token.substring(0, token.indexOf('.')), "not-a-token"}) {
            page(refused).statusCode(403).contentType(startsWith("text/html")).body(not(containsString("confirm-button")));
            confirm(refused).statusCode(403).contentType(startsWith("text/html"));
        }
        page(expired).body(containsString("expired"));
        page(ofAnotherTenant).statusCode(404).contentType(startsWith("text/html"));
        confirm(ofAnotherTenant).statusCode(404);
        for (String malformed : new String[] {"", "x".repeat(CancelLinks.MAX_TOKEN_LENGTH + 1)}) {
            page(malformed).statusCode(400).contentType(startsWith("text/html"));
            confirm(malformed).statusCode(400);
        }
        given().when().get(CancelLinks.PATH).then().statusCode(400).contentType(startsWith("text/html"));
        given().contentType("application/x-www-form-urlencoded").header("Origin", "https://attacker.example")
                .formParam("token", token).when().post(CancelLinks.PATH).then().statusCode(403)
                .contentType(startsWith("text/html")).body(containsString("another site"));

        assertEquals(0, stripeWrites(subscription));
        assertEquals(0, stripeWrites(anothers));
        get(READER, SUBSCRIPTIONS + "/" + subscription.id()).body("cancel_at_period_end", equalTo(false));
    }
}
