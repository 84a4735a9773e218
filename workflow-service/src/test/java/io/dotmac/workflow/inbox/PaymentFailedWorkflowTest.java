package io.dotmac.workflow.inbox;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.dotmac.workflow.engine.DownstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in dunning workflow, {@code payment_failed}, driven by events on the real broker against
 * the services' stand-ins. Its waits last days; each test's tenant publishes the built-in's own
 * steps under its name with waits of seconds (what a tenant does for another grace), so what runs is
 * the built-in's logic.
 */
@QuarkusTest
@QuarkusTestResource(DownstreamStub.class)
class PaymentFailedWorkflowTest {

    private static final List<String> STEPS = List.of("get_invoice", "tell_payment_failed", "wait_before_reminding",
            "remind_customer", "wait_before_suspending", "recheck_invoice", "suspend_customer", "suspend_licenses", "tell_suspended",
            "wait_for_payment", "reinstate_customer", "reinstate_licenses");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    KafkaCompanion companion;
    WireMockServer stub = DownstreamStub.server();

    final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    final String quote = UUID.randomUUID().toString();
    final String invoice = UUID.randomUUID().toString();
    final String subscription = "sub_" + UUID.randomUUID().toString().replace("-", "");
    final TenantWorkflows workflows = new TenantWorkflows(tenant);

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
        // The journal is the whole JVM's: each stub and check names this test's invoice or quote.
        for (String path : List.of("/api/v1/notifications/payment-failed", "/api/v1/notifications/receipt")) {
            stub.stubFor(post(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.invoice_id", WireMock.equalTo(invoice)))
                    .willReturn(okJson("{\"status\": \"sent\"}")));
        }
        for (String path : List.of("/api/v1/licenses/suspend", "/api/v1/licenses/reinstate", "/api/v1/licenses/renew")) {
            stub.stubFor(post(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote)))
                    .willReturn(okJson("{\"changed\": 1}")));
        }
        for (String path : List.of("/api/v1/sales/tenants/suspend", "/api/v1/sales/tenants/reinstate")) {
            stub.stubFor(post(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote)))
                    .willReturn(okJson("{\"status\": \"" + (path.endsWith("suspend") ? "suspended" : "active") + "\", \"changed\": true}")));
        }
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void anInvoiceUnpaidThroughItsGraceSuspendsTheCustomerOnceAndItsLatePaymentReinstatesThem() {
        publishWithWaits(1, 1, 120);
        invoiceIs("open");
        // Stripe retries a declined invoice: each attempt is another event of the same invoice.
        failedAttempt("subscription_cycle");
        failedAttempt("subscription_cycle");

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("payment_failed"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "wait_for_payment".equals(workflows.waitingAt(id)));
        for (String stage : List.of("failed", "reminder", "suspended")) {
            stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/notifications/payment-failed"))
                    .withRequestBody(equalToJson("{\"invoice_id\": \"" + invoice + "\", \"stage\": \"" + stage + "\"}")));
        }
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/suspend"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":suspend_licenses"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"hold\": \"invoice:" + invoice
                        + "\", \"reason\": \"invoice " + invoice + " unpaid\"}")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/suspend"))
                .withRequestBody(equalToJson("{\"quote_id\": \"" + quote + "\", \"hold\": \"invoice:" + invoice
                        + "\", \"reason\": \"invoice " + invoice + " unpaid\"}")));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote))));

        // Paid on the invoice page: billing's invoice.paid wakes the wait at once, long before its timeout.
        invoiceIs("paid");
        paid();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        JsonPath done = workflows.execution(id);
        assertEquals(STEPS, done.getList("steps.step_name"));
        assertEquals(List.of("completed", "completed", "failed", "completed", "failed", "completed", "completed", "completed",
                "completed", "completed", "completed", "completed"), done.getList("steps.status"));
        // Its own hold lifted (subscription_renewed, started by the same payment, lifts it too: no change then).
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":reinstate_licenses"))
                .withRequestBody(equalToJson("{\"source_id\": \"" + quote + "\", \"hold\": \"invoice:" + invoice
                        + "\", \"reason\": \"invoice " + invoice + " paid\"}")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/reinstate"))
                .withHeader("Idempotency-Key", WireMock.equalTo(id + ":reinstate_customer"))
                .withRequestBody(matchingJsonPath("$.hold", WireMock.equalTo("invoice:" + invoice))));
        assertEquals(1, workflows.executions("payment_failed").size());
    }

    @Test
    void aPaymentAfterTheDunningEndedStillLiftsItsHoldThroughTheRenewal() {
        publishWithWaits(1, 1, 1);
        invoiceIs("open");
        failedAttempt("subscription_cycle");
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("payment_failed"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        assertEquals(List.of("failed", "skipped", "skipped"), workflows.execution(id).getList("steps.status").subList(9, 12));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote))));

        // Paid weeks later: the renewal the payment starts lifts this invoice's hold.
        invoiceIs("paid");
        paid();
        String renewal = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("subscription_renewed"),
                ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(renewal).getString("status")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withHeader("Idempotency-Key", WireMock.equalTo(renewal + ":lift_dunning_hold_on_licenses"))
                .withRequestBody(matchingJsonPath("$.hold", WireMock.equalTo("invoice:" + invoice))));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/reinstate"))
                .withHeader("Idempotency-Key", WireMock.equalTo(renewal + ":lift_dunning_hold_on_platform"))
                .withRequestBody(matchingJsonPath("$.hold", WireMock.equalTo("invoice:" + invoice))));
    }

    @Test
    void aVoidedInvoiceOwesNothingSoItsHoldIsLifted() {
        publishWithWaits(1, 1, 120);
        invoiceIs("open");
        failedAttempt("subscription_cycle");
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("payment_failed"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "wait_for_payment".equals(workflows.waitingAt(id)));

        // Voided in Stripe's dashboard: no event wakes the wait, its next check finds it.
        invoiceIs("void");
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/reinstate"))
                .withRequestBody(equalToJson("{\"quote_id\": \"" + quote + "\", \"hold\": \"invoice:" + invoice
                        + "\", \"reason\": \"invoice " + invoice + " void\"}")));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/licenses/reinstate"))
                .withRequestBody(matchingJsonPath("$.hold", WireMock.equalTo("invoice:" + invoice))));
    }

    @Test
    void anInvoicePaidWithinTheGraceEndsTheDunningWithoutSuspendingAnything() {
        publishWithWaits(120, 120, 120);
        invoiceIs("open");
        failedAttempt("subscription_cycle");
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("payment_failed"), ids -> ids.size() == 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> "wait_before_reminding".equals(workflows.waitingAt(id)));

        invoiceIs("paid");
        paid();
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(workflows.execution(id).getString("status")));
        assertEquals(List.of("completed", "completed", "completed", "skipped", "completed", "skipped", "skipped", "skipped", "skipped",
                "completed", "skipped", "skipped"), workflows.execution(id).getList("steps.status"));
        stub.verify(1, postRequestedFor(urlEqualTo("/api/v1/notifications/payment-failed"))
                .withRequestBody(matchingJsonPath("$.invoice_id", WireMock.equalTo(invoice))));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/licenses/suspend"))
                .withRequestBody(matchingJsonPath("$.source_id", WireMock.equalTo(quote))));
        stub.verify(0, postRequestedFor(urlEqualTo("/api/v1/sales/tenants/suspend"))
                .withRequestBody(matchingJsonPath("$.quote_id", WireMock.equalTo(quote))));
    }

    @Test
    void onlyANewPeriodsInvoiceIsDunnedNotASubscriptionsFirstNorASeatChangesProration() {
        publishWithWaits(120, 120, 120);
        invoiceIs("open");
        failedAttempt("subscription_create");
        failedAttempt("subscription_update");
        String marker = UUID.randomUUID().toString();
        // A later event of the same key is consumed after them: once it has started its dunning, they were passed over.
        companion.produceStrings().fromRecords(CloudEvents.event("billing.invoice.payment_failed", subscription,
                UUID.randomUUID().toString(), tenant, event(marker, "subscription_cycle"))).awaitCompletion(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> workflows.executions("payment_failed").size() == 1);
        assertEquals(marker, workflows.execution(workflows.executions("payment_failed").get(0)).getString("context.invoice_id"));
    }

    private void publishWithWaits(int beforeReminding, int beforeSuspending, int forPayment) {
        workflows.publishBuiltin("payment_failed", Map.of("wait_before_reminding", beforeReminding,
                "wait_before_suspending", beforeSuspending, "wait_for_payment", forPayment));
    }

    private void invoiceIs(String status) {
        stub.stubFor(get(urlEqualTo("/api/v1/billing/invoices/" + invoice)).willReturn(okJson("""
                {"id": "%s", "quote_id": "%s", "status": "%s", "billing_reason": "subscription_cycle", "amount_due": 1200.00,
                 "period_start": "2031-04-30T10:00:00Z", "period_end": "2031-05-30T10:00:00Z"}""".formatted(invoice, quote, status))));
    }

    private void failedAttempt(String billingReason) {
        companion.produceStrings().fromRecords(CloudEvents.event("billing.invoice.payment_failed", subscription,
                UUID.randomUUID().toString(), tenant, event(invoice, billingReason))).awaitCompletion(Duration.ofSeconds(30));
    }

    private void paid() {
        companion.produceStrings().fromRecords(CloudEvents.event("billing.invoice.paid", subscription,
                UUID.randomUUID().toString(), tenant, event(invoice, "subscription_cycle"))).awaitCompletion(Duration.ofSeconds(30));
    }

    private String event(String invoiceId, String billingReason) {
        return """
                {"invoice_id": "%s", "quote_id": "%s", "stripe_subscription_id": "%s", "billing_reason": "%s"}"""
                .formatted(invoiceId, quote, subscription, billingReason);
    }
}
