package io.dotmac.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dotmac.common.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A customer whose card is declined on Stripe's hosted Checkout page tries again on the same page
 * before it expires, and pays, starting the subscription: the decline left the payment pending and the journey waiting, with
 * nothing licensed or provisioned; the payment completes the journey as if it had gone through the
 * first time, with exactly one order, payment, license set and one email of each kind.
 */
@ExtendWith(SuiteExtension.class)
class DeclinedThenPaidIT {

    @Test
    void aDeclinedCardLeavesThePageOpenAndASecondTryCompletesTheJourney(Suite suite) {
        String tenant = suite.newTenant("retry-pay");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);

        Onboarding.Customer customer = onboarding.awaitQuote(onboarding.start("manual"), Duration.ofSeconds(60));
        onboarding.accept(customer);
        String page = Checkout.link(suite, customer.email(), Duration.ofSeconds(60));

        Checkout.decline(page);
        // Subscription mode: Stripe tells billing nothing of the declined attempt (the page told the customer).
        api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", customer.quoteId())
                .then().statusCode(200).body("status", equalTo("pending"));
        assertEquals("billing.payment.updated", workflows.execution(customer.executionId()).getString("wait_event"),
                "the journey still waits for the payment");
        api.to(Service.LICENSING).queryParam("customer_id", customer.slug()).get("/api/v1/licenses").then().statusCode(200)
                .body("total", equalTo(0));
        api.to(Service.SALES).queryParam("organization_slug", customer.slug()).get("/api/v1/sales/orders").then()
                .statusCode(200).body("total", equalTo(0));

        Checkout.pay(page);
        workflows.awaitStatus(customer.executionId(), Duration.ofSeconds(90), "completed");
        api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", customer.quoteId()).then().statusCode(200)
                .body("status", equalTo("succeeded"));
        Effects.assertExactlyOneEach(Effects.count(suite, api, List.of(customer)));
    }
}
