package io.dotmac.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dotmac.common.testing.TestTokens;
import io.dotmac.standin.stripe.StripeSignature;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9's first invariant scenario: one accepted quote yields exactly one order, one payment, one
 * license set and one welcome email although its {@code crm.quote.accepted} event reaches the
 * workflow-service twice (the very record crm-service's outbox relay published, put back on the
 * topic, as a redelivery or a relay that crashed before marking it would) and Stripe delivers the
 * payment's {@code checkout.session.completed} webhook twice (at the same time, as Stripe's retry of
 * a delivery it thinks timed out can). A shop purchase (issue 18) holds to the same invariant.
 */
@ExtendWith(SuiteExtension.class)
class DuplicateDeliveryIT {

    private static final String QUOTE_ACCEPTED = "crm.quote.accepted";
    private static final String PAYMENT_RECEIVED = "billing.payment.received";
    private static final String CART_CHECKED_OUT = "sales.cart.checked_out";

    @Test
    void duplicateEventsAndWebhooksChangeNothing(Suite suite) {
        Instant began = Instant.now();
        String tenant = suite.newTenant("dup");
        Api api = new Api(suite, TestTokens.token(tenant, "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, api);
        Onboarding onboarding = new Onboarding(api, workflows);

        try (EventTap tap = EventTap.open(suite, "dup", List.of(QUOTE_ACCEPTED, PAYMENT_RECEIVED))) {
            // "pending": the suite's payer leaves this customer's Checkout page alone; the webhook below pays it.
            Onboarding.Customer customer = onboarding.awaitQuote(onboarding.start("pending"), Duration.ofSeconds(60));
            onboarding.accept(customer);

            // The event exactly as crm-service's relay put it on the topic, published a second time.
            ConsumerRecord<byte[], byte[]> accepted = tap.awaitRecord(QUOTE_ACCEPTED, customer.quoteId(), Duration.ofSeconds(30));
            RecordMetadata duplicate = tap.republish(accepted);

            // The execution took the payment and waits for Stripe to confirm it.
            workflows.awaitState(customer.executionId(), Duration.ofSeconds(60), "waiting for billing.payment.updated",
                    detail -> "billing.payment.updated".equals(detail.getString("wait_event")));
            JsonPath payment = api.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", customer.quoteId())
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("pending", payment.getString("status"), "the payment before the webhook (its Checkout page open)");
            String page = payment.getString("checkout_url");
            assertNotNull(page, "the payment's Checkout page");

            String event = checkoutSessionCompleted(page.substring(page.lastIndexOf('/') + 1), payment, tenant);
            List<CompletableFuture<String>> deliveries = List.of(
                    CompletableFuture.supplyAsync(() -> deliver(api, event)),
                    CompletableFuture.supplyAsync(() -> deliver(api, event)));
            List<String> outcomes = deliveries.stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(List.of("applied", "duplicate"), outcomes, "billing-service's answers to the two deliveries");

            workflows.awaitStatus(customer.executionId(), Duration.ofSeconds(60), "completed");
            tap.awaitConsumed(suite.workflowConsumerGroup(), duplicate, Duration.ofSeconds(30));
            List<Map<String, Object>> executions = workflows.awaitAllEnded(
                    Map.of("lead_to_customer", 1, "payment_received", 1), Duration.ofSeconds(60));

            List<Effects.Count> counts = Effects.count(suite, api, List.of(customer));
            System.out.printf("%n[e2e] duplicate deliveries, tenant %s, %d ms:%n%s%n  executions: %s%n", tenant,
                    Duration.between(began, Instant.now()).toMillis(), Effects.table(counts), Workflows.summaries(executions));
            Effects.assertExactlyOneEach(counts);

            // The duplicate event started nothing new: one execution per workflow, each completed; and
            // no quote_accepted, since the quote's lead_to_customer drove it.
            Map<Object, List<Object>> byWorkflow = executions.stream().collect(Collectors.groupingBy(e -> e.get("workflow_name"),
                    Collectors.mapping(e -> e.get("status"), Collectors.toList())));
            assertEquals(Map.of("lead_to_customer", List.of("completed"), "payment_received", List.of("completed")), byWorkflow, "executions per workflow: " + Workflows.summaries(executions));

            tap.awaitRecord(PAYMENT_RECEIVED, customer.quoteId(), Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> quoteEvents = tap.records(QUOTE_ACCEPTED, customer.quoteId());
            List<ConsumerRecord<byte[], byte[]>> paymentEvents = tap.records(PAYMENT_RECEIVED, customer.quoteId());
            assertAll("events on the topics for quote " + customer.quoteId(),
                    () -> assertEquals(2, quoteEvents.size(), QUOTE_ACCEPTED + ": the original and the copy"),
                    () -> assertEquals(1, eventIds(quoteEvents).size(), QUOTE_ACCEPTED + " event ids " + eventIds(quoteEvents)),
                    // The second webhook committed nothing, so billing's outbox had one event to relay.
                    () -> assertEquals(1, eventIds(paymentEvents).size(), PAYMENT_RECEIVED + " event ids " + eventIds(paymentEvents)));
        }
    }

    /**
     * A shop purchase delivered twice over: the visitor's checkout submitted twice (a double click),
     * its {@code sales.cart.checked_out} event (the record sales-service's relay published) put back on
     * the topic, and Stripe's webhook delivered twice at once. The cart yields one quote in crm, one
     * order, one succeeded payment of the cart's total, one license set and one welcome email, from one
     * shop_checkout and one quote_accepted.
     */
    @Test
    void duplicateCheckoutsEventsAndWebhooksOfAShopPurchaseChangeNothing(Suite suite) {
        Instant began = Instant.now();
        Api vendor = new Api(suite, TestTokens.token(suite.shopTenant(), "admin", "operator", "reader"));
        Workflows workflows = new Workflows(suite, vendor);

        try (EventTap tap = EventTap.open(suite, "dup-shop", List.of(CART_CHECKED_OUT, PAYMENT_RECEIVED))) {
            // "pending": the suite's payer leaves the visitor's Checkout page alone; the webhook below pays it.
            Shop.Purchase purchase = Shop.ofTwoProducts(suite, "pending.shop-dup");
            Shop.Cart cart = purchase.cart();
            purchase.checkOut();
            purchase.checkOut();
            RecordMetadata duplicate = tap.republish(tap.awaitRecord(CART_CHECKED_OUT, cart.id(), Duration.ofSeconds(30)));

            String quoteId = cart.awaitPayable(Duration.ofSeconds(60)).getString("quote_id");
            Shop.awaitJourneyAtPayment(workflows, quoteId, Duration.ofSeconds(60));
            JsonPath payment = vendor.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals("pending", payment.getString("status"), "the payment before the webhook (its Checkout page open)");
            String page = payment.getString("checkout_url");
            String event = checkoutSessionCompleted(page.substring(page.lastIndexOf('/') + 1), payment, suite.shopTenant());
            List<CompletableFuture<String>> deliveries = List.of(
                    CompletableFuture.supplyAsync(() -> deliver(vendor, event)),
                    CompletableFuture.supplyAsync(() -> deliver(vendor, event)));
            assertEquals(List.of("applied", "duplicate"), deliveries.stream().map(CompletableFuture::join).sorted().toList(),
                    "billing-service's answers to the two deliveries");

            cart.awaitLive(Duration.ofSeconds(90));
            tap.awaitConsumed(suite.workflowConsumerGroup(), duplicate, Duration.ofSeconds(30));
            List<Map<String, Object>> executions = workflows.awaitAllEnded(cart.id(),
                    Map.of("shop_checkout", 1, "quote_accepted", 1, "payment_received", 1), Duration.ofSeconds(60));

            List<Effects.Count> counts = Effects.count(suite, vendor, List.of(Shop.customer(vendor, quoteId)));
            System.out.printf("%n[e2e] duplicate deliveries of a shop purchase, cart %s, %d ms:%n%s%n  executions: %s%n", cart.id(),
                    Duration.between(began, Instant.now()).toMillis(), Effects.table(counts), Workflows.summaries(executions));
            Effects.assertExactlyOneEach(counts);
            assertEquals(List.of(quoteId), Shop.quotesOf(vendor, cart.id()), "crm's quotes of the cart");
            vendor.to(Service.BILLING).get("/api/v1/billing/payments/by-quote/{id}", quoteId).then().statusCode(200)
                    .body("status", equalTo("succeeded")).body("amount", equalTo(purchase.total()));

            // The duplicate event started nothing new: one execution per workflow, each completed.
            Map<Object, List<Object>> byWorkflow = executions.stream().collect(Collectors.groupingBy(e -> e.get("workflow_name"),
                    Collectors.mapping(e -> e.get("status"), Collectors.toList())));
            assertEquals(Map.of("shop_checkout", List.of("completed"), "quote_accepted", List.of("completed"),
                    "payment_received", List.of("completed")), byWorkflow, "executions per workflow: " + Workflows.summaries(executions));

            tap.awaitRecord(PAYMENT_RECEIVED, quoteId, Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> checkoutEvents = tap.records(CART_CHECKED_OUT, cart.id());
            List<ConsumerRecord<byte[], byte[]>> paymentEvents = tap.records(PAYMENT_RECEIVED, quoteId);
            assertAll("events on the topics for cart " + cart.id(),
                    () -> assertEquals(2, checkoutEvents.size(), CART_CHECKED_OUT + ": the original and the copy"),
                    // The second checkout was the same one: sales' outbox had one event to relay.
                    () -> assertEquals(1, eventIds(checkoutEvents).size(), CART_CHECKED_OUT + " event ids " + eventIds(checkoutEvents)),
                    () -> assertEquals(1, eventIds(paymentEvents).size(), PAYMENT_RECEIVED + " event ids " + eventIds(paymentEvents)));
        }
    }

    /** A {@code checkout.session.completed} event for the payment's session, paid, as Stripe sends it (billing's metadata included). */
    private static String checkoutSessionCompleted(String sessionId, JsonPath payment, String tenant) {
        long amount = payment.getObject("amount", BigDecimal.class).movePointRight(2).longValueExact();
        long created = Instant.now().getEpochSecond();
        String unique = UUID.randomUUID().toString().replace("-", "");
        return """
                {
                  "id": "evt_e2e_%s",
                  "object": "event",
                  "api_version": "2024-06-20",
                  "created": %d,
                  "data": {"object": {
                    "id": "%s", "object": "checkout.session", "amount_total": %d, "client_reference_id": "%s",
                    "created": %d, "currency": "%s", "customer": null, "livemode": false, "mode": "payment",
                    "metadata": {"payment_id": "%s", "quote_id": "%s", "tenant_id": "%s"},
                    "payment_intent": "pi_e2e_%s", "payment_status": "paid", "status": "complete"}},
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": null, "idempotency_key": null},
                  "type": "checkout.session.completed"
                }""".formatted(unique, created, sessionId, amount, payment.getString("id"), created,
                payment.getString("currency").toLowerCase(), payment.getString("id"), payment.getString("quote_id"), tenant,
                unique.substring(0, 16));
    }

    /** One delivery of the webhook, signed as Stripe signs each delivery; billing-service's outcome. */
    private static String deliver(Api api, String payload) {
        return api.anonymous(Service.BILLING).header("Stripe-Signature", StripeSignature.of(payload, Suite.STRIPE_WEBHOOK_SECRET, Instant.now().getEpochSecond()))
                .body(payload).post("/api/v1/billing/webhooks/stripe").then().statusCode(200).extract().path("outcome");
    }

    private static Set<String> eventIds(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> EventTap.header(r, "ce_id")).collect(Collectors.toSet());
    }
}
