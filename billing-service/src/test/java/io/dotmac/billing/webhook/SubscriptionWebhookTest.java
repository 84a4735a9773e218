package io.dotmac.billing.webhook;

import static io.dotmac.billing.BillingTestSupport.get;
import static io.dotmac.billing.BillingTestSupport.outboxRows;
import static io.dotmac.billing.BillingTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dotmac.billing.stripe.StripeStub;
import io.dotmac.billing.testing.CrmStub;
import io.dotmac.common.config.EventTopics;
import io.dotmac.common.testing.Metrics;
import io.dotmac.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Stripe Billing's webhooks, signed here with the configured secret: a subscription and its
 * invoices recorded as Stripe reports them, once per event id, whatever the order of delivery, each
 * invoice's payment published once on the real topic, keyed by Stripe's subscription id.
 */
@QuarkusTest
@QuarkusTestResource(StripeStub.class)
@QuarkusTestResource(CrmStub.class)
class SubscriptionWebhookTest {

    static final String TENANT = unique("tenant");
    static final String READER = TestTokens.token(TENANT, "reader");
    static final String WEBHOOK = "/api/v1/billing/webhooks/stripe";
    static final String SUBSCRIPTIONS = "/api/v1/billing/subscriptions";

    private static final long MAR_1 = epoch(3, 1);
    private static final long APR_1 = epoch(4, 1);
    private static final long MAY_1 = epoch(5, 1);

    @Inject
    Pool pool;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTopics topics;

    private static long epoch(int month, int day) {
        return OffsetDateTime.of(2028, month, day, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond();
    }

    private static String id(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private static ValidatableResponse deliver(String payload) {
        return given().contentType("application/json; charset=utf-8").body(payload)
                .header("Stripe-Signature", StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()))
                .when().post(WEBHOOK).then().statusCode(200);
    }

    private static String subscriptionEvent(String type, String subscription, String status, boolean cancelAtPeriodEnd,
                                            String quote, long created) {
        return StripeEvents.event(id("evt_"), type, StripeEvents.subscription(subscription, status, cancelAtPeriodEnd, quote, TENANT,
                APR_1, MAY_1), created);
    }

    /** The renewal of 1 April: Stripe's invoice period is March (just ended), its line April (paid for). */
    private static String invoiceEvent(String type, String invoice, String subscription, String status, long paid, int attempts,
                                       String quote, long created) {
        return StripeEvents.event(id("evt_"), type, StripeEvents.invoice(invoice, subscription, status, 119997, paid, attempts,
                quote, TENANT, MAR_1, APR_1, APR_1, MAY_1, 0), created);
    }

    private static String subscriptionOf(String quote) {
        return get(READER, SUBSCRIPTIONS + "?quote_id=" + quote).statusCode(200).body("items", hasSize(1))
                .extract().path("items[0].id");
    }

    @Test
    void aPaidRenewalIsRecordedForItsPeriodAndPublishedOnceHoweverOftenStripeDeliversIt() throws Exception {
        String quote = UUID.randomUUID().toString();
        String subscription = id("sub_");
        String invoice = id("in_");
        long now = StripeEvents.now();
        double renewed = Metrics.funnel("renewed");
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            var published = companion.consumeStrings().fromTopics(topics.onBroker("billing.invoice.paid"));
            deliver(subscriptionEvent("customer.subscription.created", subscription, "active", false, quote, now - 10))
                    .body("outcome", equalTo("applied")).body("subscription_status", equalTo("active"));
            String paid = invoiceEvent("invoice.paid", invoice, subscription, "paid", 119997, 1, quote, now);

            deliver(paid).body("outcome", equalTo("applied"));
            deliver(paid).body("outcome", equalTo("duplicate"));
            // The same news in another event (Stripe's invoice.payment_succeeded would be one): still paid once.
            deliver(invoiceEvent("invoice.paid", invoice, subscription, "paid", 119997, 1, quote, now + 1))
                    .body("outcome", equalTo("applied"));

            String id = subscriptionOf(quote);
            get(READER, SUBSCRIPTIONS + "/" + id).statusCode(200)
                    .body("stripe_subscription_id", equalTo(subscription))
                    .body("status", equalTo("active"))
                    .body("current_period_end", equalTo("2028-05-01T00:00:00Z"))
                    .body("invoices", hasSize(1))
                    .body("invoices[0].status", equalTo("paid"))
                    .body("invoices[0].amount_paid", equalTo(new BigDecimal("1199.97")))
                    .body("invoices[0].currency", equalTo("USD"))
                    .body("invoices[0].period_start", equalTo("2028-04-01T00:00:00Z"))
                    .body("invoices[0].period_end", equalTo("2028-05-01T00:00:00Z"))
                    .body("invoices[0].paid_at", notNullValue());
            assertEquals(1, outboxRows(pool, "billing.invoice.paid", subscription).size());
            assertEquals(renewed + 1, Metrics.funnel("renewed"));
            await().atMost(Duration.ofSeconds(30)).until(() -> published.getRecords().stream().anyMatch(r -> subscription.equals(r.key())));
            var records = published.getRecords().stream().filter(r -> subscription.equals(r.key())).toList();
            assertEquals(1, records.size());
            JsonNode data = new ObjectMapper().readTree(records.get(0).value());
            assertEquals(quote, data.get("quote_id").asText());
            assertEquals(TENANT, data.get("tenant_id").asText());
            assertEquals(invoice, data.get("stripe_invoice_id").asText());
            assertEquals("2028-05-01T00:00:00Z", data.get("period_end").asText());
            assertEquals("1199.97", data.get("amount_paid").asText());
        }
    }

    @Test
    void aFailedAttemptIsPublishedEachTimeAndALatePaymentOnce() {
        String quote = UUID.randomUUID().toString();
        String subscription = id("sub_");
        String invoice = id("in_");
        long now = StripeEvents.now();
        double pastDue = Metrics.funnel("past_due");

        deliver(invoiceEvent("invoice.payment_failed", invoice, subscription, "open", 0, 1, quote, now))
                .body("outcome", equalTo("applied")).body("subscription_status", equalTo("past_due"));
        deliver(invoiceEvent("invoice.payment_failed", invoice, subscription, "open", 0, 2, quote, now + 1));
        // Paid on the third attempt; then the first failure's event, held up, arrives after all that.
        deliver(invoiceEvent("invoice.paid", invoice, subscription, "paid", 119997, 3, quote, now + 2));
        deliver(invoiceEvent("invoice.payment_failed", invoice, subscription, "open", 0, 1, quote, now));

        assertEquals(2, outboxRows(pool, "billing.invoice.payment_failed", subscription).size());
        assertEquals(pastDue + 1, Metrics.funnel("past_due"), "one invoice past due, however many attempts failed");
        assertEquals(1, outboxRows(pool, "billing.invoice.paid", subscription).size());
        get(READER, SUBSCRIPTIONS + "/" + subscriptionOf(quote)).statusCode(200)
                .body("status", equalTo("active"))
                .body("invoices[0].status", equalTo("paid")).body("invoices[0].attempt_count", equalTo(3));
    }

    @Test
    void aVoidedOrUncollectibleInvoiceIsRecordedSoNobodyIsDunnedForItAndAPaymentOfItStillCounts() {
        String quote = UUID.randomUUID().toString();
        String subscription = id("sub_");
        String voided = id("in_");
        String writtenOff = id("in_");
        long now = StripeEvents.now();

        deliver(invoiceEvent("invoice.payment_failed", voided, subscription, "open", 0, 1, quote, now));
        deliver(invoiceEvent("invoice.voided", voided, subscription, "void", 0, 1, quote, now + 1))
                .body("outcome", equalTo("applied"));
        // A failed attempt's report of the same second, delivered after it, does not re-open it.
        deliver(invoiceEvent("invoice.payment_failed", voided, subscription, "open", 0, 1, quote, now + 1));
        deliver(invoiceEvent("invoice.payment_failed", writtenOff, subscription, "open", 0, 1, quote, now + 2));
        deliver(invoiceEvent("invoice.marked_uncollectible", writtenOff, subscription, "uncollectible", 0, 1, quote, now + 3))
                .body("outcome", equalTo("applied"));
        String path = SUBSCRIPTIONS + "/" + subscriptionOf(quote);
        get(READER, path).statusCode(200)
                .body("invoices.find { it.stripe_invoice_id == '" + voided + "' }.status", equalTo("void"))
                .body("invoices.find { it.stripe_invoice_id == '" + writtenOff + "' }.status", equalTo("uncollectible"));

        // Stripe still takes a payment of an invoice written off: it is paid, and published once.
        deliver(invoiceEvent("invoice.paid", writtenOff, subscription, "paid", 119997, 2, quote, now + 4));
        get(READER, path).statusCode(200)
                .body("invoices.find { it.stripe_invoice_id == '" + writtenOff + "' }.status", equalTo("paid"));
        assertEquals(1, outboxRows(pool, "billing.invoice.paid", subscription).size());
        assertEquals(2, outboxRows(pool, "billing.invoice.payment_failed", subscription).size(), "none for the voided one's late report");
    }

    @Test
    void anOlderReportArrivingLateChangesNothingAndTheEndIsPublishedOnce() {
        String quote = UUID.randomUUID().toString();
        String subscription = id("sub_");
        long now = StripeEvents.now();
        double churned = Metrics.funnel("churned");

        deliver(subscriptionEvent("customer.subscription.updated", subscription, "active", true, quote, now))
                .body("outcome", equalTo("applied"));
        deliver(subscriptionEvent("customer.subscription.updated", subscription, "active", false, quote, now - 60))
                .body("outcome", equalTo("outdated"));
        String id = subscriptionOf(quote);
        get(READER, SUBSCRIPTIONS + "/" + id).body("cancel_at_period_end", equalTo(true)).body("status", equalTo("active"));

        deliver(subscriptionEvent("customer.subscription.deleted", subscription, "canceled", true, quote, now + 60))
                .body("subscription_status", equalTo("canceled"));
        deliver(subscriptionEvent("customer.subscription.deleted", subscription, "canceled", true, quote, now + 61));
        // An update of the same second delivered after the end does not bring it back.
        deliver(subscriptionEvent("customer.subscription.updated", subscription, "active", true, quote, now + 61))
                .body("outcome", equalTo("outdated"));

        get(READER, SUBSCRIPTIONS + "/" + id).body("status", equalTo("canceled")).body("canceled_at", notNullValue());
        assertEquals(1, outboxRows(pool, "billing.subscription.cancelled", subscription).size());
        assertEquals(churned + 1, Metrics.funnel("churned"));
    }

    @Test
    void anEndFirstHeardOfIsPublishedToo() {
        String quote = UUID.randomUUID().toString();
        String subscription = id("sub_");

        deliver(subscriptionEvent("customer.subscription.deleted", subscription, "canceled", false, quote, StripeEvents.now()))
                .body("outcome", equalTo("applied")).body("subscription_status", equalTo("canceled"));

        assertEquals(1, outboxRows(pool, "billing.subscription.cancelled", subscription).size());
    }

    @Test
    void anEventOfAnApiVersionWithoutTheseFieldsIsRefusedSoThatStripeRetries() {
        String quote = UUID.randomUUID().toString();
        String payload = StripeEvents.event(id("evt_"), "customer.subscription.created", StripeEvents.subscription(id("sub_"),
                "active", false, quote, TENANT, APR_1, MAY_1), StripeEvents.now(), "2024-06-20");

        given().contentType("application/json; charset=utf-8").body(payload)
                .header("Stripe-Signature", StripeEvents.signature(payload, StripeStub.WEBHOOK_SECRET, StripeEvents.now()))
                .when().post(WEBHOOK).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("raise the webhook endpoint's API version"));
        get(READER, SUBSCRIPTIONS + "?quote_id=" + quote).statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aSubscriptionOfNoTenantOfOursIsAcknowledgedAndNotRecorded() {
        String subscription = id("sub_");
        String quote = UUID.randomUUID().toString();
        String payload = StripeEvents.event(id("evt_"), "customer.subscription.created",
                StripeEvents.subscription(subscription, "active", false, quote, null, APR_1, MAY_1));

        deliver(payload).body("outcome", equalTo("ignored")).body("subscription_id", nullValue());
        get(READER, SUBSCRIPTIONS + "?quote_id=" + quote).statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aTenantSeesOnlyItsOwnSubscriptionsAndOnlyWithAToken() {
        String quote = UUID.randomUUID().toString();
        deliver(subscriptionEvent("customer.subscription.created", id("sub_"), "active", false, quote, StripeEvents.now()));
        String id = subscriptionOf(quote);
        String stranger = TestTokens.token(unique("tenant"), "admin");

        get(stranger, SUBSCRIPTIONS + "/" + id).statusCode(404).contentType("application/problem+json");
        get(stranger, SUBSCRIPTIONS + "?quote_id=" + quote).statusCode(200).body("items", hasSize(0));
        get(READER, SUBSCRIPTIONS + "/not-a-uuid").statusCode(404);
        given().when().get(SUBSCRIPTIONS + "/" + id).then().statusCode(401);
    }
}
