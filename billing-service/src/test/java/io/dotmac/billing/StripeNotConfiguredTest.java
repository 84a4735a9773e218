package io.dotmac.billing;

import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.requestBody;
import static io.dotmac.billing.BillingTestSupport.processPayment;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Without a Stripe key or webhook secret (a local run without Stripe) the service starts and says why it cannot take payments. */
@QuarkusTest
@TestProfile(StripeNotConfiguredTest.WithoutStripe.class)
class StripeNotConfiguredTest {

    public static class WithoutStripe implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("billing.stripe.api-key", "", "billing.stripe.webhook-secret", "");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Refused before anything else, crm-service included (none runs for this profile). */
    @Test
    void paymentsAre503AndNothingIsRecorded() {
        String token = TestTokens.engine("tenant-without-stripe");
        String quote = UUID.randomUUID().toString();
        processPayment(token, UUID.randomUUID().toString(), requestBody(quote, "10.00", "USD", "buyer@example.com"))
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", containsString("Stripe is not configured"));
        get(token, "/api/v1/billing/payments/by-quote/" + quote).statusCode(404);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theWebhookIs503() {
        given().contentType("application/json").header("Stripe-Signature", "t=1,v1=00").body("{}")
                .when().post("/api/v1/billing/webhooks/stripe")
                .then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("STRIPE_WEBHOOK_SECRET"));
    }
}
