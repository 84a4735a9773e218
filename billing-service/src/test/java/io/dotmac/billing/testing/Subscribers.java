package io.dotmac.billing.testing;

import static io.dotmac.billing.BillingTestSupport.get;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

import io.dotmac.billing.stripe.ChargeRequest;
import io.dotmac.billing.stripe.StripeCheckout;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.vertx.VertxContextSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Subscriptions started on the Stripe stand-in as a customer starts one: a Checkout Session in
 * subscription mode that billing's gateway opens, paid on the stand-in's page, then recorded by
 * billing from the stand-in's webhooks (which the test routes to billing).
 */
public final class Subscribers {

    /** A subscription as billing and the stand-in know it, and the quote it was opened for. */
    public record Subscribed(String id, String stripeId, String quoteId) {
    }

    private Subscribers() {
    }

    /** A monthly subscription of the tenant at {@code amountMinor} a month, recorded by billing. */
    public static Subscribed started(StripeGateway stripe, String tenant, long amountMinor) throws Throwable {
        UUID reference = UUID.randomUUID();
        String quote = UUID.randomUUID().toString();
        ChargeRequest request = new ChargeRequest(reference, tenant, quote, amountMinor, "USD", "buyer@example.com", "month",
                reference.toString());
        StripeCheckout session = VertxContextSupport.subscribeAndAwait(() -> stripe.openCheckout(request,
                Instant.now().plus(Duration.ofHours(1))));
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").when().post(session.url() + "/pay")
                .then().statusCode(303);
        String reader = TestTokens.token(tenant, "reader");
        String id = await().atMost(Duration.ofSeconds(10)).until(() -> get(reader, "/api/v1/billing/subscriptions?quote_id=" + quote)
                .statusCode(200).extract().path("items[0].id"), notNullValue());
        return new Subscribed(id, "sub_" + reference, quote);
    }

    /** The stand-in's test clock: the subscription's period ends now, its card paying or declined. */
    public static void periodEnds(Subscribed subscription, String outcome) {
        given().contentType("application/x-www-form-urlencoded").formParam("outcome", outcome).when()
                .post(StripeStub.server().baseUrl() + "/_standin/subscriptions/" + subscription.stripeId() + "/next_period")
                .then().statusCode(200);
    }
}
