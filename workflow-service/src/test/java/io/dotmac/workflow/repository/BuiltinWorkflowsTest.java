package io.dotmac.workflow.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.Trigger;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.steps.condition.ConditionStep;
import io.dotmac.workflow.steps.servicecall.ServiceCallStep;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BuiltinWorkflowsTest {

    @Inject
    BuiltinWorkflows builtins;

    @Inject
    WorkflowRepository workflows;

    @Inject
    Pool pool;

    private List<String> stored() {
        List<String> rows = new ArrayList<>();
        pool.query("SELECT name || ' ' || version || ' ' || is_active FROM workflows WHERE builtin ORDER BY name, version")
                .execute().await().atMost(Duration.ofSeconds(10)).forEach(r -> rows.add(r.getString(0)));
        return rows;
    }

    @Test
    void builtInsAreSeededOnceAndValid() {
        List<String> before = stored();
        assertTrue(before.containsAll(List.of("lead_to_customer 1.6.0 true", "payment_received 1.4.0 true",
                "quote_accepted 1.7.0 true")), before.toString());

        builtins.seed(null);

        assertEquals(before, stored(), "seeding again (a restart, a second instance) adds nothing");
    }

    @Test
    void everyServiceCallOfTheBuiltInsOutlastsAServiceRestart() {
        for (String name : BuiltinWorkflows.NAMES) {
            var definition = workflows.findActive(name, "any-tenant").await().atMost(Duration.ofSeconds(10)).orElseThrow()
                    .definition();
            for (StepDefinition step : definition.steps()) {
                if (!(step instanceof ServiceCallStep)) {
                    continue;
                }
                RetryPolicy retry = step.retry();
                assertNotNull(retry, name + "." + step.name() + " has its own retry policy");
                Duration waited = Duration.ZERO;
                for (int retryNumber = 1; retryNumber < retry.maxAttempts(); retryNumber++) {
                    waited = waited.plus(retry.backoffBefore(retryNumber));
                }
                assertTrue(waited.compareTo(Duration.ofMinutes(3)) >= 0,
                        name + "." + step.name() + " retries for " + waited + ", less than a restart of a service may take");
            }
        }
    }

    @Test
    void theEventWorkflowsDeclareTheirTriggers() {
        assertEquals("${data.quote_id}", workflows.findActive("quote_accepted", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition().trigger("crm.quote.accepted").orElseThrow().context().get("quote_id"));
        assertTrue(workflows.findActive("payment_received", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition().trigger("billing.payment.received").isPresent());
    }

    @Test
    void paymentFailedRemindsOnDayThreeAndSuspendsAfterAGraceOfSevenDaysEachWaitWokenByThePayment() {
        var definition = workflows.findActive("payment_failed", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition();
        ConditionStep reminding = (ConditionStep) definition.step("wait_before_reminding").orElseThrow();
        ConditionStep suspending = (ConditionStep) definition.step("wait_before_suspending").orElseThrow();

        assertEquals(Duration.ofDays(3), reminding.timeout());
        assertEquals(Duration.ofDays(7), reminding.timeout().plus(suspending.timeout()));
        assertTrue(definition.indexOf("remind_customer") > definition.indexOf("wait_before_reminding"));
        assertTrue(definition.indexOf("suspend_licenses") > definition.indexOf("wait_before_suspending"));
        for (String wait : List.of("wait_before_reminding", "wait_before_suspending", "wait_for_payment")) {
            ConditionStep step = (ConditionStep) definition.step(wait).orElseThrow();
            assertEquals("billing.invoice.paid", step.wakeOn().event(), wait);
            assertEquals("${stripe_subscription_id}", step.wakeOn().key(), wait);
            assertEquals("get_invoice", step.refresh().method(), wait);
        }
        assertEquals("data.billing_reason == 'subscription_cycle'",
                definition.trigger("billing.invoice.payment_failed").orElseThrow().when());
    }

    @Test
    void subscriptionCancelledExpiresTheLicensesAtOnceAndKeepsThePlatformThirtyDays() {
        var definition = workflows.findActive("subscription_cancelled", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition();

        assertTrue(definition.indexOf("subscription_ended") < definition.indexOf("expire_licenses"));
        assertTrue(definition.indexOf("expire_licenses") < definition.indexOf("keep_for_retention"));
        assertTrue(definition.indexOf("keep_for_retention") < definition.indexOf("deprovision_platform"));
        assertEquals(Duration.ofDays(30), ((ConditionStep) definition.step("keep_for_retention").orElseThrow()).timeout());
        assertEquals("${data.subscription_id}", definition.trigger("billing.subscription.cancelled").orElseThrow()
                .unlessRunning().key());
    }

    @Test
    void leadToCustomerWaitsForAcceptanceAndPaymentBeforeIssuingLicenses() {
        var definition = workflows.findActive("lead_to_customer", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition();

        assertTrue(definition.indexOf("wait_for_quote_acceptance") < definition.indexOf("process_payment"));
        assertTrue(definition.indexOf("wait_for_payment") < definition.indexOf("payment_received"));
        assertTrue(definition.indexOf("payment_received") < definition.indexOf("issue_license"));
        ConditionStep acceptance = (ConditionStep) definition.step("wait_for_quote_acceptance").orElseThrow();
        assertEquals("payment not received: ${payment.failure_message}",
                ((ConditionStep) definition.step("payment_received").orElseThrow()).error());
        assertEquals(Duration.ofDays(7), acceptance.timeout());
        assertEquals(false, definition.step("send_welcome").orElseThrow().critical());
        assertEquals("quote", acceptance.refresh().resultKey());
        assertEquals("crm.quote.accepted", acceptance.wakeOn().event());
        assertEquals("${quote.id}", ((ConditionStep) definition.step("wait_for_payment").orElseThrow()).wakeOn().key());
    }

    @Test
    void quoteAcceptedTakesThePaymentAndWaitsForItBeforeProvisioningUnlessLeadToCustomerDrivesTheQuote() {
        var definition = workflows.findActive("quote_accepted", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition();

        assertEquals(new Trigger.UnlessRunning("lead_to_customer", "${data.quote_id}"),
                definition.trigger("crm.quote.accepted").orElseThrow().unlessRunning());
        assertTrue(definition.indexOf("process_payment") < definition.indexOf("wait_for_payment"));
        assertTrue(definition.indexOf("wait_for_payment") < definition.indexOf("payment_received"));
        for (String effect : List.of("issue_license", "create_order", "activate_order", "send_welcome")) {
            assertTrue(definition.indexOf("payment_received") < definition.indexOf(effect), effect);
        }
        assertEquals("payment.status != 'pending'", condition(definition, "wait_for_payment").condition());
        assertEquals("payment not received: ${payment.failure_message}", condition(definition, "payment_received").error());
        assertEquals("billing.payment.updated", condition(definition, "wait_for_payment").wakeOn().event());
        assertEquals(false, definition.step("send_welcome").orElseThrow().critical());
    }

    @Test
    void aPaidJourneyThatFailsForGoodIsUndone() {
        for (String name : List.of("lead_to_customer", "quote_accepted")) {
            var definition = workflows.findActive(name, "any-tenant").await().atMost(Duration.ofSeconds(10))
                    .orElseThrow().definition();
            Map<String, String> undos = new java.util.TreeMap<>();
            definition.steps().stream().filter(step -> step.compensate() != null).forEach(step -> undos.put(step.name(),
                    step.compensate().call().service() + "." + step.compensate().call().method()));
            // Only a received payment is refunded: the refund is the undo of payment_received, which completes once paid.
            assertEquals(Map.of("process_payment", "notification_service.send_journey_failed",
                    "payment_received", "billing_service.refund_payment",
                    "issue_license", "licensing_service.revoke_licenses",
                    "create_order", "sales_service.cancel_order"), undos, name);
            assertTrue(definition.steps().stream().filter(step -> step.compensate() != null)
                    .allMatch(step -> step.compensate().retry().maxAttempts() >= 10), name + ": undos retry for minutes");
        }
    }

    @Test
    void paymentReceivedVerifiesThePaymentWithBillingBeforeItLicenses() {
        var definition = workflows.findActive("payment_received", "any-tenant").await().atMost(Duration.ofSeconds(10))
                .orElseThrow().definition();

        assertEquals(0, definition.indexOf("verify_payment"));
        assertEquals("get_payment_by_quote", ((ServiceCallStep) definition.step("verify_payment").orElseThrow()).call().method());
        assertEquals("payment.status == 'succeeded'", condition(definition, "payment_succeeded").condition());
        assertTrue(definition.indexOf("payment_succeeded") < definition.indexOf("issue_license"));
    }

    private static ConditionStep condition(WorkflowDefinition definition, String step) {
        return assertInstanceOf(ConditionStep.class, definition.step(step).orElseThrow());
    }
}
