package io.dotmac.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.dotmac.common.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A payment whose Stripe webhook never comes: the customer pays on the Checkout page and Stripe says
 * nothing, billing's reconciliation job asks Stripe about the session once it has been pending for longer
 * than the suite's {@code BILLING_RECONCILIATION_AFTER}, records the success, and the journey that
 * waited for it completes with exactly one order, payment, license set and welcome email.
 */
@ExtendWith(SuiteExtension.class)
class LostWebhookIT {

    @Test
    void theReconciliationJobCompletesAPaymentWhoseWebhookWasLostAndTheJourneyWithIt(Suite suite) {
        String tenant = suite.newTenant("lost");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);

        // "lost…" customers: they pay on the Checkout page, and the stand-in sends no webhook of it.
        Onboarding.Customer customer = onboarding.awaitQuote(onboarding.start("lost"), Duration.ofSeconds(60));
        onboarding.accept(customer);
        workflows.awaitState(customer.executionId(), Duration.ofSeconds(60), "waiting for the payment",
                detail -> "billing.payment.updated".equals(detail.getString("wait_event")));

        workflows.awaitStatus(customer.executionId(), Duration.ofSeconds(90), "completed");
        api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", customer.quoteId()).then().statusCode(200)
                .body("status", equalTo("succeeded")).body("stripe_subscription_id", startsWith("sub_"));
        Effects.assertExactlyOneEach(Effects.count(suite, api, List.of(customer)));
    }
}
