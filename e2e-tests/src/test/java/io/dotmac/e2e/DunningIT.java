package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A monthly customer's renewal is declined and they pay late: the Stripe stand-in's test clock moves
 * their subscription to its next period with the card declining, Stripe's invoice.payment_failed
 * reaches billing, billing publishes billing.invoice.payment_failed, and the built-in dunning
 * workflow payment_failed (published by the tenant with waits of seconds instead of days, as a
 * tenant chooses its grace) emails the customer the invoice's page, reminds them, then suspends the
 * quote's licenses and the customer's platform and tells them. The customer pays on Stripe's invoice
 * page: billing.invoice.paid wakes the dunning, which reinstates both, and renews the licenses
 * (subscription_renewed). Everything is read through the services' public APIs and the SMTP server.
 */
@ExtendWith(SuiteExtension.class)
class DunningIT {

    @Test
    void aDeclinedRenewalSuspendsTheCustomerAfterTheGraceAndTheirLatePaymentReinstatesThem(Suite suite) throws Exception {
        String tenant = suite.newTenant("dunning");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        workflows.store(Workflows.withTimeouts(workflows.definition("payment_failed"),
                Map.of("wait_before_reminding", 2, "wait_before_suspending", 2)));
        Onboarding.Subscriber subscriber = new Onboarding(api, workflows).subscriber("dunned");
        Onboarding.Customer customer = subscriber.customer();
        String subscription = subscriber.stripeSubscription();

        // The test clock: the next period begins and the card is declined.
        Checkout.nextPeriod(suite, subscription, "declined");

        String dunning = await("the dunning of the declined invoice").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> workflows.ofWorkflow("payment_failed"), found -> found.size() == 1).get(0);
        workflows.awaitState(dunning, Duration.ofSeconds(60), "waiting for the late payment, the customer suspended",
                execution -> "wait_for_payment".equals(execution.getString("steps.find { it.status == 'waiting' }.step_name")));
        String invoiceId = workflows.execution(dunning).getString("context.invoice_id");
        JsonPath invoice = api.to(Service.BILLING).get("/api/v1/billing/invoices/{id}", invoiceId).then().statusCode(200)
                .body("status", equalTo("open")).body("billing_reason", equalTo("subscription_cycle")).extract().jsonPath();
        String page = invoice.getString("hosted_invoice_url");

        for (Map<String, Object> license : Effects.licenses(api, customer.slug())) {
            assertEquals("suspended", license.get("status"), license.toString());
            assertEquals(List.of("invoice:" + invoiceId), license.get("holds"), license.toString());
            api.anonymous(Service.LICENSING).body(Map.of("key", license.get("license_key"))).post("/api/v1/licenses/verify")
                    .then().statusCode(200).body("valid", equalTo(false)).body("reason", equalTo("suspended"));
        }
        assertEquals("suspended", platform(api, customer).get("status"));
        assertEquals(List.of("invoice:" + invoiceId), platform(api, customer).get("holds"), "suspended for this invoice");
        List<MimeMessage> dunningEmails = dunningEmails(suite, customer, 3);
        for (MimeMessage email : dunningEmails) {
            assertTrue(Checkout.text(email).contains(page), "each dunning email links the invoice's page: " + email.getSubject());
        }

        // Paid late, on Stripe's page for the invoice: the dunning wakes at once (its wait would run for minutes).
        Checkout.payInvoice(page);
        workflows.awaitStatus(dunning, Duration.ofSeconds(60), "completed");
        assertEquals("active", platform(api, customer).get("status"));
        assertEquals(List.of(), platform(api, customer).get("holds"));
        await("the licenses renewed and reinstated").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (Map<String, Object> license : Effects.licenses(api, customer.slug())) {
                        assertEquals("active", license.get("status"), license.toString());
                        api.anonymous(Service.LICENSING).body(Map.of("key", license.get("license_key"))).post("/api/v1/licenses/verify")
                                .then().statusCode(200).body("valid", equalTo(true));
                    }
                });
        JsonPath done = workflows.execution(dunning);
        assertEquals(List.of("completed", "completed", "failed", "completed", "failed", "completed", "completed", "completed",
                "completed", "completed", "completed", "completed"), done.getList("steps.status"), Workflows.describe(done));
        assertEquals(3, dunningEmails(suite, customer, 3).size(), "no dunning email after the payment");
        assertEquals(1, workflows.ofWorkflow("payment_failed").size());
    }

    /** The customer's platform as sales-service has it: status and holds. */
    private static Map<String, Object> platform(Api api, Onboarding.Customer customer) {
        return api.to(Service.SALES).get("/api/v1/sales/tenants/by-quote/{id}", customer.quoteId()).then().statusCode(200)
                .extract().jsonPath().getMap("$");
    }

    /** The dunning emails the customer received, once there are {@code expected}: failed, reminder, suspended. */
    private static List<MimeMessage> dunningEmails(Suite suite, Onboarding.Customer customer, int expected) {
        List<String> subjects = List.of("Your DotMac payment of", "Reminder: your DotMac invoice of", "Your DotMac platform is suspended");
        return await("the dunning emails").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> Effects.messagesTo(suite, customer.email()).stream()
                        .filter(m -> subjects.stream().anyMatch(Checkout.subject(m)::startsWith)).toList(), found -> found.size() >= expected);
    }
}
