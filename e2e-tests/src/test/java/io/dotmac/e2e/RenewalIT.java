package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.standin.stripe.HostedCheckout;
import io.dotmac.standin.stripe.StripeSignature;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A monthly customer's subscription renews: once their journey has made them a customer, the Stripe
 * stand-in's test clock moves their subscription to its next period, its card paying. Stripe's
 * invoice.paid reaches billing (and once more, under another event id, as Stripe may send it),
 * billing publishes billing.invoice.paid once, the built-in subscription_renewed renews the quote's
 * licenses to the end of the period paid for (new keys; the old ones still valid) and sends one
 * receipt. Everything is read through the services' public APIs and the SMTP server.
 */
@ExtendWith(SuiteExtension.class)
class RenewalIT {

    /** LICENSE_EXPIRY_GRACE, as the suite gives licensing-service (its default): how long a key outlives the period paid for. */
    static final Duration EXPIRY_GRACE = Duration.ofDays(7);
    private static final String RENEWED = "subscription_renewed";
    private static final String INVOICE_PAID = "billing.invoice.paid";
    private static final String RECEIPT_SUBJECT = "Your DotMac subscription is paid until";
    /** The step the tenant's subscription_renewed waits at, and for how long: long enough to see it waiting and kill the engine. */
    private static final String PAUSE = "wait_after_renewing";
    private static final int PAUSE_SECONDS = 15;

    @Test
    void aPaidRenewalExtendsTheLicensesToTheEndOfThePeriodOnceAndSendsOneReceipt(Suite suite) throws Exception {
        String tenant = suite.newTenant("renewal");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding.Subscriber subscriber = new Onboarding(api, workflows).subscriber("renewing");
        Onboarding.Customer customer = subscriber.customer();
        String subscription = subscriber.stripeSubscription();
        Map<String, String> keysBefore = Effects.licenses(api, customer.slug()).stream()
                .collect(Collectors.toMap(l -> (String) l.get("id"), l -> (String) l.get("license_key")));

        // The test clock: the next period begins and the card pays its invoice.
        Checkout.nextPeriod(suite, subscription, "paid");

        JsonPath renewal = awaitPaidRenewal(api, customer);
        String stripeInvoice = renewal.getString("invoices[0].stripe_invoice_id");
        Instant periodEnd = OffsetDateTime.parse(renewal.getString("invoices[0].period_end")).toInstant();
        assertEquals("subscription_cycle", renewal.getString("invoices[0].billing_reason"));

        // Stripe may deliver an event again, under another id: billing has published the invoice's payment once already.
        String payload = invoicePaid(RestAssured.given().get(suite.stripe().baseUrl() + "/v1/invoices/" + stripeInvoice)
                .then().statusCode(200).extract().asString());
        api.anonymous(Service.BILLING).header("Stripe-Signature", StripeSignature.of(payload, Suite.STRIPE_WEBHOOK_SECRET,
                        Instant.now().getEpochSecond())).body(payload).post("/api/v1/billing/webhooks/stripe")
                .then().statusCode(200).body("outcome", oneOf("applied", "outdated"));

        await("the licenses renewed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Map<String, Object> license : Effects.licenses(api, customer.slug())) {
                assertEquals(periodEnd.plus(EXPIRY_GRACE), OffsetDateTime.parse((String) license.get("expires_at")).toInstant(),
                        license.toString());
            }
        });
        for (Map<String, Object> license : Effects.licenses(api, customer.slug())) {
            String before = keysBefore.get((String) license.get("id"));
            assertNotEquals(before, license.get("license_key"), "a new key for " + license.get("product_code"));
            for (String key : List.of(before, (String) license.get("license_key"))) {
                api.anonymous(Service.LICENSING).body(Map.of("key", key)).post("/api/v1/licenses/verify").then().statusCode(200)
                        .body("valid", equalTo(true));
            }
        }

        // One renewal: one execution of subscription_renewed (none for the first invoice), one receipt, one email of it.
        List<Map<String, Object>> renewals = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> workflows.list(null).stream().filter(e -> "subscription_renewed".equals(e.get("workflow_name"))).toList(),
                        found -> found.size() == 1 && "completed".equals(found.get(0).get("status")));
        // And no second one later: the duplicate delivery was consumed long before now.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> workflows.list(null).stream()
                .filter(e -> "subscription_renewed".equals(e.get("workflow_name"))).count() == 1);
        assertEquals(renewal.getString("invoices[0].id"), api.to(Service.WORKFLOW)
                .get("/api/v1/workflows/executions/{id}", renewals.get(0).get("id")).then().extract().path("context.invoice_id"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> api.to(Service.NOTIFICATION)
                .queryParam("recipient", customer.email()).get("/api/v1/notifications").then().statusCode(200)
                .body("items.findAll { it.kind == 'receipt' }.size()", equalTo(1))
                .body("items.find { it.kind == 'receipt' }.status", equalTo("sent")));
        List<MimeMessage> receipts = Effects.messagesTo(suite, customer.email()).stream()
                .filter(m -> Checkout.subject(m).startsWith(RECEIPT_SUBJECT)).toList();
        assertEquals(1, receipts.size(), "receipts emailed");
        assertTrue(Checkout.text(receipts.get(0)).contains(stripeInvoice), "the receipt links the invoice");
        assertEquals(3, Effects.messagesTo(suite, customer.email()).size(), "pay here, welcome, receipt");
    }

    @Test
    void aRenewalWhoseEngineIsKilledMidwayExtendsTheLicensesOnceAndSendsOneReceipt(Suite suite) {
        String tenant = suite.newTenant("renewal-kill");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        // The built-in, waiting once the licenses are renewed: a window, before the receipt, to kill the engine in.
        workflows.store(Workflows.withStepAfter(workflows.definition(RENEWED), "renew_licenses", Map.of(
                "name", PAUSE, "type", "condition", "condition", "(invoice_again.status ?? '') == 'paid'",
                "timeout_seconds", PAUSE_SECONDS, "refresh", Map.of("service", "billing_service", "method", "get_invoice",
                        "params", Map.of("invoice_id", "${invoice.id}"), "result", "invoice_again"))));
        List<String> steps = api.to(Service.WORKFLOW).get("/api/v1/workflows/{name}", RENEWED).then().statusCode(200)
                .extract().jsonPath().getList("definition.steps.name", String.class);
        assertEquals(PAUSE, steps.get(steps.indexOf("renew_licenses") + 1), "the tenant's version runs: " + steps);
        Onboarding.Subscriber subscriber = new Onboarding(api, workflows).subscriber("renewing");
        Onboarding.Customer customer = subscriber.customer();
        Map<String, Instant> expiryBefore = Effects.licenses(api, customer.slug()).stream().collect(Collectors.toMap(
                l -> (String) l.get("id"), l -> OffsetDateTime.parse((String) l.get("expires_at")).toInstant()));
        ServiceProcess engine = suite.service(Service.WORKFLOW);
        try (EventTap tap = EventTap.open(suite, "renewal-kill", List.of(INVOICE_PAID))) {
            Checkout.nextPeriod(suite, subscriber.stripeSubscription(), "paid");
            JsonPath renewal = awaitPaidRenewal(api, customer);
            String invoice = renewal.getString("invoices[0].id");
            String stripeInvoice = renewal.getString("invoices[0].stripe_invoice_id");
            Instant periodStart = OffsetDateTime.parse(renewal.getString("invoices[0].period_start")).toInstant();
            Instant periodEnd = OffsetDateTime.parse(renewal.getString("invoices[0].period_end")).toInstant();

            String execution = await("subscription_renewed of invoice " + invoice).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).until(() -> renewalsOf(workflows, invoice), found -> found.size() == 1).get(0);
            JsonPath atKill = workflows.awaitState(execution, Duration.ofSeconds(60), "waiting at " + PAUSE,
                    detail -> PAUSE.equals(detail.getString("steps.find { it.status == 'waiting' }.step_name")));
            engine.kill();
            Instant killed = Instant.now();

            // Killed mid-renewal: the licenses renewed, the receipt not sent, the wait not over.
            assertEquals(steps.subList(0, steps.indexOf(PAUSE)), atKill.getList("steps.findAll { it.status == 'completed' }.step_name"),
                    Workflows.describe(atKill));
            assertTrue(killed.isBefore(OffsetDateTime.parse(atKill.getString("steps.find { it.status == 'waiting' }.wait_until"))
                    .toInstant()), "killed before the wait's deadline\n" + Workflows.describe(atKill));
            assertEquals(0, receipts(api, customer).size(), "receipts at the kill");

            engine.startAndAwaitReady(suite.readyTimeout());
            JsonPath done = workflows.awaitStatus(execution, Duration.ofSeconds(120), "completed");
            // The restarted engine has read billing.invoice.paid (again, if the dead one had not acknowledged it) by now.
            tap.awaitConsumed(suite.workflowConsumerGroup(), tap.awaitRecord(INVOICE_PAID, subscriber.stripeSubscription(),
                    Duration.ofSeconds(10)), Duration.ofSeconds(60));

            // One execution for the invoice, every step of it once, completed.
            assertEquals(List.of(execution), renewalsOf(workflows, invoice));
            assertEquals(List.of(execution), workflows.ofWorkflow(RENEWED), "the tenant's renewals");
            assertEquals(steps, done.getList("steps.step_name"), Workflows.describe(done));
            workflows.assertEachStepCompletedOnce(List.of(execution));

            // The licenses run to the end of the period paid for, plus the grace: extended by that one period, not two.
            List<Map<String, Object>> licenses = Effects.licenses(api, customer.slug());
            assertEquals(expiryBefore.keySet(), licenses.stream().map(l -> l.get("id")).collect(Collectors.toSet()), "the same licenses");
            Duration period = Duration.between(periodStart, periodEnd);
            for (Map<String, Object> license : licenses) {
                Instant expiry = OffsetDateTime.parse((String) license.get("expires_at")).toInstant();
                assertEquals(periodEnd.plus(EXPIRY_GRACE), expiry, license.toString());
                // Issued at the first payment for a month, seconds after the subscription's anchor: hence the minute.
                Duration extended = Duration.between(expiryBefore.get((String) license.get("id")), expiry);
                assertTrue(extended.minus(period).abs().compareTo(Duration.ofMinutes(1)) < 0,
                        "extended by " + extended + ", the period paid for being " + period + ": " + license);
            }

            // One receipt, sent once, for the invoice.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                List<Map<String, Object>> receipts = receipts(api, customer);
                assertEquals(1, receipts.size(), receipts.toString());
                assertEquals("sent", receipts.get(0).get("status"), receipts.toString());
            });
            List<MimeMessage> emailed = Effects.messagesTo(suite, customer.email()).stream()
                    .filter(m -> Checkout.subject(m).startsWith(RECEIPT_SUBJECT)).toList();
            assertEquals(1, emailed.size(), "receipts emailed");
            assertTrue(Checkout.text(emailed.get(0)).contains(stripeInvoice), "the receipt links the invoice");
            assertEquals(3, Effects.messagesTo(suite, customer.email()).size(), "pay here, welcome, receipt");
        } finally {
            if (!engine.isAlive()) {
                // The tests after this one need the engine.
                engine.startAndAwaitReady(suite.readyTimeout());
            }
        }
    }

    /** Billing's record of the customer's subscription once its second invoice, the renewal's (invoices[0]), is paid. */
    private static JsonPath awaitPaidRenewal(Api api, Onboarding.Customer customer) {
        String recorded = api.to(Service.BILLING).queryParam("quote_id", customer.quoteId()).get("/api/v1/billing/subscriptions")
                .then().statusCode(200).extract().path("items[0].id");
        return await("billing's record of the renewal").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.to(Service.BILLING).get("/api/v1/billing/subscriptions/{id}", recorded).then().statusCode(200)
                        .extract().jsonPath(), subscriptionNow -> subscriptionNow.getList("invoices").size() == 2
                        && "paid".equals(subscriptionNow.getString("invoices[0].status")));
    }

    /** The ids of the tenant's subscription_renewed executions for the invoice (billing's id). */
    private static List<String> renewalsOf(Workflows workflows, String invoice) {
        return workflows.list(invoice).stream().filter(e -> RENEWED.equals(e.get("workflow_name"))).map(e -> (String) e.get("id")).toList();
    }

    /** notification-service's receipts to the customer. */
    private static List<Map<String, Object>> receipts(Api api, Onboarding.Customer customer) {
        return api.to(Service.NOTIFICATION).queryParam("recipient", customer.email()).get("/api/v1/notifications").then()
                .statusCode(200).extract().jsonPath().<Map<String, Object>>getList("items").stream()
                .filter(n -> "receipt".equals(n.get("kind"))).toList();
    }

    /** An {@code invoice.paid} event of a new id about the invoice, as Stripe sends one. */
    private static String invoicePaid(String invoice) {
        return """
                {"id": "evt_e2e_%s", "object": "event", "api_version": "%s", "created": %d, "data": {"object": %s},
                 "livemode": false, "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null}, "type": "invoice.paid"}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""), HostedCheckout.API_VERSION, Instant.now().getEpochSecond(),
                        invoice);
    }
}
