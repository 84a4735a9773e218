package io.dotmac.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.common.rest.Problem;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar; with -Pnative, the binary): healthy, and the bodies that reach
 * Jackson as plain Objects come out whole, a payment taken (201) and a refusal's problem (4xx), as
 * well as a read; and stripe-java's request to Stripe carries its parameters (the amount in cents),
 * which it serializes by reflection. Stripe and crm-service are the stubs PaymentApiTest uses.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class BillingServiceIT {

    final String tenant = "it-" + UUID.randomUUID();
    final String service = TestTokens.engine(tenant);
    final String reader = TestTokens.token(tenant, "reader");

    @Test
    void isReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void takesAPaymentReadsItAndRefusesWithAProblem() {
        String quote = UUID.randomUUID().toString();
        String email = BillingTestSupport.unique("it") + "@example.com";
        String id = BillingTestSupport.processPayment(service, UUID.randomUUID() + ":process_payment",
                        BillingTestSupport.paymentBody(quote, "79.00", "USD", email))
                .statusCode(201).body("quote_id", equalTo(quote)).body("amount", equalTo(new BigDecimal("79.00")))
                .body("currency", equalTo("USD")).body("status", equalTo("succeeded"))
                .body("stripe_payment_intent_id", startsWith("pi_")).extract().path("id");
        StripeStub.server().verify(1, postRequestedFor(urlPathEqualTo("/v1/payment_intents"))
                .withFormParam("metadata[quote_id]", WireMock.equalTo(quote))
                .withFormParam("amount", WireMock.equalTo("7900")).withFormParam("currency", WireMock.equalTo("usd")));
        BillingTestSupport.get(reader, "/api/v1/billing/payments/by-quote/" + quote).statusCode(200).body("id", equalTo(id));

        BillingTestSupport.processPayment(service, null, BillingTestSupport.requestBody(quote, "80.00", "USD", email))
                .statusCode(422).contentType(Problem.MEDIA_TYPE).body("status", equalTo(422))
                .body("detail", containsString("80.00"));
    }
}
