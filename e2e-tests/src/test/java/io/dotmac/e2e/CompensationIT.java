package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.common.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A paid journey that fails for good is undone, once, even though the workflow-service is killed
 * with SIGKILL in the middle of undoing it. The tenant runs the built-in {@code lead_to_customer}
 * with one more step after the activation, a readiness check that never passes: the customer pays,
 * is licensed and provisioned, then the check times out. The engine undoes the journey latest
 * first: the order cancelled and its tenant torn down, the licenses revoked, then the refund, which
 * finds billing-service down and is retried; the engine is killed then, started again, billing
 * comes back, and the refund and the customer's email go out. Exactly one refund reaches Stripe
 * (its request journal), one "we could not set up your platform" email reaches the customer.
 */
@ExtendWith(SuiteExtension.class)
class CompensationIT {

    private static final String L2C = "lead_to_customer";
    private static final String NEVER_READY = "await_platform_ready";
    private static final List<String> UNDOS = List.of("compensate_create_order", "compensate_issue_license",
            "compensate_payment_received", "compensate_process_payment");

    @Test
    void aPaidJourneyThatFailsForGoodIsUndoneOnceThroughAKilledEngine(Suite suite) {
        Instant began = Instant.now();
        String tenant = suite.newTenant("undo");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);
        ServiceProcess engine = suite.service(Service.WORKFLOW);
        ServiceProcess billing = suite.service(Service.BILLING);
        storeTenantVersion(workflows);

        Onboarding.Customer customer = onboarding.awaitQuote(onboarding.start("undo"), Duration.ofSeconds(60));
        onboarding.accept(customer);
        String execution = customer.executionId();
        try {
            // Paid, licensed and provisioned: the readiness check waits, and billing-service goes down.
            workflows.awaitState(execution, Duration.ofSeconds(90), "waiting at " + NEVER_READY,
                    detail -> NEVER_READY.equals(lastStep(detail).get("step_name")));
            billing.stop(Duration.ofSeconds(20));
            // The check times out; the undos start; the refund cannot reach billing and is retried.
            workflows.awaitState(execution, Duration.ofSeconds(90), "retrying the refund",
                    detail -> "compensate_payment_received".equals(lastStep(detail).get("step_name"))
                            && ((Number) lastStep(detail).get("retry_count")).intValue() > 0);
            engine.kill();
            engine.startAndAwaitReady(suite.readyTimeout());
            billing.startAndAwaitReady(suite.readyTimeout());
        } finally {
            // The tests after this one need them.
            for (ServiceProcess service : List.of(engine, billing)) {
                if (!service.isAlive()) {
                    service.startAndAwaitReady(suite.readyTimeout());
                }
            }
        }

        JsonPath failed = workflows.awaitStatus(execution, Duration.ofSeconds(120), "failed");
        String report = Workflows.describe(failed);
        System.out.printf("%n[e2e] compensation, tenant %s, %d ms:%n  %s%n", tenant,
                Duration.between(began, Instant.now()).toMillis(), report.replace("\n", "\n  "));

        // The execution: failed with the check's error; each undo recorded, its last record completed.
        assertTrue(failed.getString("error_message").startsWith("step '" + NEVER_READY + "' failed"), report);
        Map<String, String> undone = new LinkedHashMap<>();
        for (Map<String, Object> step : failed.<Map<String, Object>>getList("steps")) {
            if ("compensation".equals(step.get("step_type"))) {
                undone.put((String) step.get("step_name"), (String) step.get("status"));
            }
        }
        assertEquals(UNDOS, List.copyOf(undone.keySet()), "the undos, latest first:\n" + report);
        assertEquals(Set.of("completed"), Set.copyOf(undone.values()), report);

        // The payment refunded, by exactly one refund at Stripe.
        JsonPath payment = api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", customer.quoteId())
                .then().statusCode(200).body("status", equalTo("refunded")).extract().jsonPath();
        String intent = payment.getString("stripe_payment_intent_id");
        int refunds = suite.stripe().findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v1/refunds"))
                .withRequestBody(WireMock.containing(intent))).size();
        assertEquals(1, refunds, "refunds asked of Stripe for " + intent);
        // The subscription the payment started ended at Stripe, which charges nothing more.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> api.to(Service.BILLING)
                .queryParam("quote_id", customer.quoteId()).get("/api/v1/billing/subscriptions").then().statusCode(200)
                .body("items[0].stripe_subscription_id", equalTo(payment.getString("stripe_subscription_id")))
                .body("items[0].status", equalTo("canceled")));

        // The licenses revoked, the order cancelled with its tenant torn down.
        List<Map<String, Object>> licenses = api.to(Service.LICENSING).queryParam("customer_id", customer.slug())
                .get("/api/v1/licenses").then().statusCode(200).extract().jsonPath().getList("items");
        assertAll("the quote's licenses",
                () -> assertTrue(!licenses.isEmpty(), "licenses were issued"),
                () -> assertEquals(Set.of("revoked"), licenses.stream().map(l -> l.get("status")).collect(Collectors.toSet())));
        api.to(Service.SALES).get("/api/v1/sales/orders/by-external-id/{id}", "QUOTE-" + customer.quoteNumber())
                .then().statusCode(200).body("status", equalTo("cancelled"));

        // The customer was asked to pay, was never welcomed (the check comes before the welcome), and is told once.
        List<String> kinds = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            kinds.clear();
            kinds.addAll(api.to(Service.NOTIFICATION).queryParam("recipient", customer.email()).get("/api/v1/notifications")
                    .then().statusCode(200).extract().jsonPath().getList("items.kind"));
            assertEquals(1, kinds.stream().filter("journey_failed"::equals).count(), "journey_failed notifications " + kinds);
        });
        assertEquals(1, Effects.messagesTo(suite, customer.email()).stream()
                .filter(m -> Checkout.text(m).contains("refunded")).count(), "emails telling " + customer.email() + " of the refund");
    }

    /**
     * Stores the tenant's copy of the built-in {@code lead_to_customer} (read through the API, so it
     * follows the built-in, undos included) with a readiness check after the activation that never
     * passes: a critical condition that fails for good once its 20 s are up.
     */
    @SuppressWarnings("unchecked")
    private static void storeTenantVersion(Workflows workflows) {
        Map<String, Object> builtin = workflows.definition(L2C);
        Map<String, Object> definition = new LinkedHashMap<>(builtin);
        definition.put("version", (Integer.parseInt(((String) builtin.get("version")).split("\\.")[0]) + 1) + ".0.0");
        definition.put("description", "lead_to_customer for the compensation test: the platform never becomes ready");
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Map<String, Object> step : (List<Map<String, Object>>) builtin.get("steps")) {
            steps.add(step);
            if ("activate_order".equals(step.get("name"))) {
                steps.add(Map.of("name", NEVER_READY, "type", "condition", "condition", "order.status == 'ready'",
                        "timeout_seconds", 20));
            }
        }
        definition.put("steps", steps);
        workflows.store(definition);
    }

    private static Map<String, Object> lastStep(JsonPath detail) {
        List<Map<String, Object>> steps = detail.getList("steps");
        return steps.isEmpty() ? Map.of() : steps.get(steps.size() - 1);
    }
}
