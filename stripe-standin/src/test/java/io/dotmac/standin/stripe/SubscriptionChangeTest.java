package io.dotmac.standin.stripe;

import static io.dotmac.standin.stripe.HostedCheckoutTest.encode;
import static io.dotmac.standin.stripe.HostedCheckoutTest.inAnHour;
import static io.dotmac.standin.stripe.HostedCheckoutTest.json;
import static io.dotmac.standin.stripe.HostedCheckoutTest.sessionParams;
import static io.dotmac.standin.stripe.HostedCheckoutTest.testid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.net.RequestOptions;
import com.stripe.param.SubscriptionUpdateParams;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seat changes on the stand-in as billing asks for them: stripe-java's {@code SubscriptionUpdateParams}
 * sent by its own {@link StripeClient} (a raw form for what stripe-java would not send), the
 * answers and the webhooks read with stripe-java, the figures checked against Stripe's proration.
 */
class SubscriptionChangeTest extends StandInFixture {

    static final DateTimeFormatter STRIPE_DATE = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    StripeClient client;

    @BeforeEach
    void connect() {
        client = StripeClient.builder().setApiKey("sk_test_standin").setApiBase(stripe.baseUrl()).setMaxNetworkRetries(0).build();
    }

    // -- as billing and a test call it

    /** Subscribes {@code reference} monthly, 120.00 USD (one unit), paid on the Checkout page; the subscription after. */
    Subscription subscribe(String reference) throws StripeException {
        HttpResponse<String> created = call("POST", "/v1/checkout/sessions",
                encode(sessionParams(reference, reference + "@example.com", inAnHour(), "month")));
        assertEquals(200, created.statusCode(), created.body());
        assertEquals(303, call("POST", "/checkout/pay/" + json(created).get("id") + "/pay", "").statusCode());
        events.clear();
        return client.v1().subscriptions().retrieve("sub_" + reference);
    }

    /** Billing's seat change: the item's new unit amount, invoiced at once, pending if the card declines. */
    static SubscriptionUpdateParams.Builder change(String reference, long unitAmount) {
        return SubscriptionUpdateParams.builder()
                .addItem(SubscriptionUpdateParams.Item.builder()
                        .setId("si_" + reference)
                        .setPriceData(SubscriptionUpdateParams.Item.PriceData.builder()
                                .setCurrency("usd")
                                .setProduct("prod_" + reference)
                                .setUnitAmount(unitAmount)
                                .setRecurring(SubscriptionUpdateParams.Item.PriceData.Recurring.builder()
                                        .setInterval(SubscriptionUpdateParams.Item.PriceData.Recurring.Interval.MONTH).build())
                                .build())
                        .setQuantity(1L)
                        .build())
                .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE)
                .setPaymentBehavior(SubscriptionUpdateParams.PaymentBehavior.PENDING_IF_INCOMPLETE);
    }

    Subscription update(String reference, SubscriptionUpdateParams params) throws StripeException {
        return client.v1().subscriptions().update("sub_" + reference, params,
                RequestOptions.builder().setIdempotencyKey(UUID.randomUUID().toString()).build());
    }

    /** The change as a raw form, as stripe-java encodes {@link #change}, with {@code edit} applied. */
    static String changeForm(String reference, Consumer<Map<String, String>> edit) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("items[0][id]", "si_" + reference);
        form.put("items[0][price_data][currency]", "usd");
        form.put("items[0][price_data][product]", "prod_" + reference);
        form.put("items[0][price_data][recurring][interval]", "month");
        form.put("items[0][price_data][unit_amount]", "18000");
        form.put("items[0][quantity]", "1");
        form.put("payment_behavior", "pending_if_incomplete");
        form.put("proration_behavior", "always_invoice");
        edit.accept(form);
        return encode(form);
    }

    Invoice invoice(String id) throws StripeException {
        return client.v1().invoices().retrieve(id);
    }

    List<String> types() {
        return events.stream().map(Event::getType).toList();
    }

    static <T> T object(Event event, Class<T> type) {
        return type.cast(event.getDataObjectDeserializer().getObject().orElseThrow());
    }

    static SubscriptionItem item(Subscription subscription) {
        return subscription.getItems().getData().get(0);
    }

    static String after(long at) {
        return " after " + STRIPE_DATE.format(Instant.ofEpochSecond(at));
    }

    /** Stripe's proration: the part of {@code amount} left from {@code at} to the period's end, rounded. */
    static long remaining(long amount, long at, SubscriptionItem item) {
        long length = item.getCurrentPeriodEnd() - item.getCurrentPeriodStart();
        return Math.round((double) amount * (item.getCurrentPeriodEnd() - at) / length);
    }

    static void assertProration(InvoiceLineItem line, long amount, String description, String price, long start, long end) {
        assertEquals(amount, line.getAmount());
        assertEquals(description, line.getDescription());
        assertEquals(Boolean.TRUE, line.getParent().getSubscriptionItemDetails().getProration());
        assertEquals(price, line.getPricing().getPriceDetails().getPrice());
        assertEquals(start, line.getPeriod().getStart());
        assertEquals(end, line.getPeriod().getEnd());
    }

    // -- the tests

    @Test
    void anIncreaseMidPeriodIsInvoicedAtOnceAsTwoProrationsAndPaidByTheCard() throws StripeException {
        String reference = UUID.randomUUID().toString();
        SubscriptionItem before = item(subscribe(reference));
        assertEquals("prod_" + reference, before.getPrice().getProduct(), "the product Checkout's product_data made");
        long start = before.getCurrentPeriodStart();
        long end = before.getCurrentPeriodEnd();
        long quarterIn = start + (end - start) / 4;

        Subscription answer = update(reference, change(reference, 18000).setProrationDate(quarterIn).build());

        SubscriptionItem after = item(answer);
        assertEquals("si_" + reference, after.getId());
        assertEquals("price_" + reference + "_u1", after.getPrice().getId(), "price_data makes a new price");
        assertEquals("prod_" + reference, after.getPrice().getProduct());
        assertEquals(18000L, after.getPrice().getUnitAmount());
        assertEquals(1L, after.getQuantity());
        assertEquals(start, after.getCurrentPeriodStart(), "the period is kept");
        assertEquals("active", answer.getStatus());
        assertNull(answer.getPendingUpdate());
        String invoiceId = "in_" + reference + "_u1";
        assertEquals(invoiceId, answer.getLatestInvoice());
        // Answered once the webhooks were tried, in Stripe's order.
        assertEquals(List.of("customer.subscription.updated", "invoice.paid"), types());
        assertEquals(18000L, item(object(events.get(0), Subscription.class)).getPrice().getUnitAmount());

        Invoice invoice = object(events.get(1), Invoice.class);
        assertEquals(invoiceId, invoice.getId());
        assertEquals("subscription_update", invoice.getBillingReason());
        assertEquals("paid", invoice.getStatus());
        List<InvoiceLineItem> lines = invoice.getLines().getData();
        assertEquals(2, lines.size());
        // Three quarters of the period left: −12000 × 3/4 and +18000 × 3/4.
        assertProration(lines.get(0), -9000, "Unused time on 1 × Quote q-" + reference + after(quarterIn), "price_" + reference,
                quarterIn, end);
        assertProration(lines.get(1), 13500, "Remaining time on 1 × Quote q-" + reference + after(quarterIn),
                "price_" + reference + "_u1", quarterIn, end);
        assertEquals(4500L, invoice.getSubtotal());
        assertEquals(4500L, invoice.getTotal());
        assertEquals(4500L, invoice.getAmountDue());
        assertEquals(4500L, invoice.getAmountPaid());
        assertEquals(0L, invoice.getAmountRemaining());
        assertEquals(0L, invoice.getStartingBalance());
        assertEquals(0L, invoice.getEndingBalance());
        assertEquals("sub_" + reference, invoice.getParent().getSubscriptionDetails().getSubscription());
        assertEquals(invoice.toJson(), invoice(invoiceId).toJson(), "the webhook's invoice is the API's");
    }

    @Test
    void anInvoiceKeepsTheFiguresItWasMadeWith() throws StripeException {
        String reference = UUID.randomUUID().toString();
        subscribe(reference);
        String first = call("GET", "/v1/invoices/in_" + reference + "_0", null).body();

        update(reference, change(reference, 36000).build());

        assertEquals(first, call("GET", "/v1/invoices/in_" + reference + "_0", null).body());
        assertEquals(12000L, invoice("in_" + reference + "_0").getLines().getData().get(0).getAmount());
        assertEquals("120.00 USD", testid(call("GET", "/invoice/in_" + reference + "_0", null).body(), "amount"));
    }

    @Test
    void aDecreaseCreditsTheCustomersBalanceWhichTheNextRenewalTakes() throws StripeException {
        String reference = UUID.randomUUID().toString();
        SubscriptionItem before = item(subscribe(reference));
        long halfway = before.getCurrentPeriodStart() + (before.getCurrentPeriodEnd() - before.getCurrentPeriodStart()) / 2;

        update(reference, change(reference, 6000).setProrationDate(halfway).build());

        assertEquals(List.of("customer.subscription.updated", "invoice.paid"), types());
        Invoice credit = object(events.get(1), Invoice.class);
        assertEquals(List.of(-6000L, 3000L), credit.getLines().getData().stream().map(InvoiceLineItem::getAmount).toList());
        assertEquals(-3000L, credit.getTotal());
        assertEquals(0L, credit.getAmountDue());
        assertEquals(0L, credit.getAmountPaid());
        assertEquals("paid", credit.getStatus(), "nothing due: paid without a charge");
        assertEquals(0L, credit.getStartingBalance());
        assertEquals(-3000L, credit.getEndingBalance(), "the credit goes to the customer's balance");
        assertEquals("[]", json(call("GET", "/v1/invoice_payments?invoice=" + credit.getId(), null)).get("data").toString(),
                "no payment for nothing due");
        events.clear();

        assertEquals(200, call("POST", "/_standin/subscriptions/sub_" + reference + "/next_period", "").statusCode());

        assertEquals(List.of("customer.subscription.updated", "invoice.paid"), types());
        Invoice renewal = object(events.get(1), Invoice.class);
        assertEquals("in_" + reference + "_1", renewal.getId());
        assertEquals(6000L, renewal.getTotal(), "the new price");
        assertEquals(-3000L, renewal.getStartingBalance());
        assertEquals(3000L, renewal.getAmountDue(), "less the credit");
        assertEquals(3000L, renewal.getAmountPaid());
        assertEquals(0L, renewal.getEndingBalance());
        assertEquals("30.00 USD", testid(call("GET", "/invoice/" + renewal.getId(), null).body(), "amount"));
    }

    @Test
    void aDeclinedCardLeavesTheChangePendingAndTheSubscriptionAsItWasUntilTheInvoiceIsPaid() throws StripeException {
        String reference = UUID.randomUUID().toString();
        subscribe(reference);
        assertEquals(200, call("POST", "/_standin/subscriptions/sub_" + reference + "/card", "outcome=declined").statusCode());

        Subscription answer = update(reference, change(reference, 18000).build());

        assertEquals(List.of("invoice.payment_failed"), types());
        Invoice open = object(events.get(0), Invoice.class);
        String invoiceId = "in_" + reference + "_u1";
        assertEquals(invoiceId, open.getId());
        assertEquals("open", open.getStatus());
        assertEquals(1L, open.getAttemptCount());
        SubscriptionItem item = item(answer);
        assertEquals(12000L, item.getPrice().getUnitAmount(), "not changed");
        assertEquals("price_" + reference, item.getPrice().getId());
        assertEquals("active", answer.getStatus());
        assertEquals(invoiceId, answer.getLatestInvoice());
        Subscription.PendingUpdate pending = answer.getPendingUpdate();
        assertNotNull(pending);
        assertEquals(open.getCreated() + 23 * 3600, pending.getExpiresAt());
        assertEquals(18000L, pending.getSubscriptionItems().get(0).getPrice().getUnitAmount());
        assertEquals("si_" + reference, pending.getSubscriptionItems().get(0).getId());
        // Prorated from now, to the second: its lines say when now was.
        long now = open.getLines().getData().get(0).getPeriod().getStart();
        assertEquals(open.getCreated(), now);
        assertProration(open.getLines().getData().get(0), -remaining(12000, now, item),
                "Unused time on 1 × Quote q-" + reference + after(now), "price_" + reference, now, item.getCurrentPeriodEnd());
        assertProration(open.getLines().getData().get(1), remaining(18000, now, item),
                "Remaining time on 1 × Quote q-" + reference + after(now), "price_" + reference + "_u1", now,
                item.getCurrentPeriodEnd());
        assertEquals(open.getTotal(), open.getAmountDue());
        assertEquals(open.getAmountDue(), open.getAmountRemaining());
        HttpResponse<String> another = call("POST", "/v1/subscriptions/sub_" + reference, changeForm(reference, form -> { }));
        assertEquals(400, another.statusCode(), "one pending update at a time");
        events.clear();

        assertEquals("paid", testid(call("POST", "/invoice/" + invoiceId + "/pay", "").body(), "status"));

        assertEquals(List.of("invoice.paid", "customer.subscription.updated", "customer.subscription.pending_update_applied"), types());
        Subscription applied = client.v1().subscriptions().retrieve("sub_" + reference);
        assertEquals(18000L, item(applied).getPrice().getUnitAmount());
        assertNull(applied.getPendingUpdate());
        assertEquals("active", applied.getStatus());
    }

    @Test
    void aPendingUpdateLapsesWhenTheTestClockPassesItsExpiryAndARenewalsOwnOutcomeWinsOverTheCard() throws StripeException {
        String reference = UUID.randomUUID().toString();
        subscribe(reference);
        call("POST", "/_standin/subscriptions/sub_" + reference + "/card", "outcome=declined");
        update(reference, change(reference, 18000).build());
        events.clear();

        assertEquals(200, call("POST", "/_standin/subscriptions/sub_" + reference + "/next_period", "outcome=paid").statusCode());

        assertEquals(List.of("invoice.voided", "customer.subscription.updated", "customer.subscription.pending_update_expired",
                "customer.subscription.updated", "invoice.paid"), types());
        assertEquals("void", invoice("in_" + reference + "_u1").getStatus());
        Invoice renewal = object(events.get(4), Invoice.class);
        assertEquals(12000L, renewal.getAmountPaid(), "renewed at the price it had");
        Subscription renewed = client.v1().subscriptions().retrieve("sub_" + reference);
        assertNull(renewed.getPendingUpdate());
        assertEquals(12000L, item(renewed).getPrice().getUnitAmount());
        assertEquals("void", testid(call("POST", "/invoice/in_" + reference + "_u1/pay", "").body(), "status"),
                "a void invoice takes no payment");
        events.clear();

        call("POST", "/_standin/subscriptions/sub_" + reference + "/next_period", "");

        assertEquals(List.of("customer.subscription.updated", "invoice.payment_failed"), types(), "the card declines");
        assertEquals("past_due", object(events.get(0), Subscription.class).getStatus());
    }

    @Test
    void aDeclinedChangeAllowedIncompleteIsMadeAllTheSamePastDueUntilItsInvoiceIsPaid() throws StripeException {
        String reference = UUID.randomUUID().toString();
        subscribe(reference);
        call("POST", "/_standin/subscriptions/sub_" + reference + "/card", "outcome=declined");

        Subscription answer = update(reference, change(reference, 18000)
                .setPaymentBehavior(SubscriptionUpdateParams.PaymentBehavior.ALLOW_INCOMPLETE).build());

        assertEquals(List.of("customer.subscription.updated", "invoice.payment_failed"), types());
        assertEquals("past_due", answer.getStatus());
        assertEquals(18000L, item(answer).getPrice().getUnitAmount());
        assertNull(answer.getPendingUpdate());
        events.clear();
        assertEquals("paid", testid(call("POST", "/invoice/in_" + reference + "_u1/pay", "").body(), "status"));
        assertEquals(List.of("invoice.paid", "customer.subscription.updated"), types());
        assertEquals("active", object(events.get(1), Subscription.class).getStatus());
    }

    @Test
    void prorationsLeftForTheRenewalAreOnItsInvoice() throws StripeException {
        String reference = UUID.randomUUID().toString();
        SubscriptionItem before = item(subscribe(reference));
        long halfway = before.getCurrentPeriodStart() + (before.getCurrentPeriodEnd() - before.getCurrentPeriodStart()) / 2;

        Subscription answer = update(reference, change(reference, 18000).setProrationDate(halfway)
                .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.CREATE_PRORATIONS).build());

        assertEquals(List.of("customer.subscription.updated"), types());
        assertEquals("in_" + reference + "_0", answer.getLatestInvoice(), "nothing invoiced now");
        events.clear();
        call("POST", "/_standin/subscriptions/sub_" + reference + "/next_period", "");
        Invoice renewal = object(events.get(1), Invoice.class);
        assertEquals(List.of(18000L, -6000L, 9000L), renewal.getLines().getData().stream().map(InvoiceLineItem::getAmount).toList());
        assertEquals(21000L, renewal.getAmountPaid());
    }

    @Test
    void aChangeSentAgainWithItsIdempotencyKeyIsAnsweredAsTheFirstAndMadeOnce() throws StripeException {
        String reference = UUID.randomUUID().toString();
        subscribe(reference);
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("seats-" + reference).build();

        Subscription first = client.v1().subscriptions().update("sub_" + reference, change(reference, 18000).build(), key);
        Subscription again = client.v1().subscriptions().update("sub_" + reference, change(reference, 18000).build(), key);

        assertEquals(first.getLastResponse().body(), again.getLastResponse().body());
        assertEquals("true", again.getLastResponse().headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(List.of("customer.subscription.updated", "invoice.paid"), types(), "made once");
        assertEquals(404, call("GET", "/v1/invoices/in_" + reference + "_u2", null).statusCode());

        IdempotencyException other = assertThrows(IdempotencyException.class,
                () -> client.v1().subscriptions().update("sub_" + reference, change(reference, 24000).build(), key));
        assertTrue(other.getMessage().contains("same parameters"), other.getMessage());
        assertEquals(18000L, item(client.v1().subscriptions().retrieve("sub_" + reference)).getPrice().getUnitAmount());
    }

    @Test
    void whatStripeRefusesInAChangeIsRefusedAndChangesNothing() throws StripeException {
        String reference = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        subscribe(other);
        subscribe(reference);
        long periodStart = item(client.v1().subscriptions().retrieve("sub_" + reference)).getCurrentPeriodStart();
        // Stripe's error code and param for each edit of a good change.
        List<Map.Entry<String, Consumer<Map<String, String>>>> refusals = List.of(
                Map.entry("resource_missing items[0][id]", form -> form.put("items[0][id]", "si_nobody")),
                Map.entry("resource_missing items[0][price_data][product]", form -> form.put("items[0][price_data][product]", "prod_nobody")),
                Map.entry("parameter_invalid items[0][price_data][product]", form -> form.put("items[0][price_data][product]", "prod_" + other)),
                Map.entry("parameter_missing items[0][price_data][product]", form -> form.remove("items[0][price_data][product]")),
                Map.entry("parameter_invalid_integer items[0][price_data][unit_amount]",
                        form -> form.put("items[0][price_data][unit_amount]", "12.5")),
                Map.entry("parameter_invalid_integer items[0][price_data][unit_amount]",
                        form -> form.put("items[0][price_data][unit_amount]", "-1")),
                Map.entry("parameter_invalid items[0][price_data][currency]", form -> form.put("items[0][price_data][currency]", "eur")),
                Map.entry("parameter_invalid items[0][price_data][recurring]",
                        form -> form.put("items[0][price_data][recurring][interval]", "year")),
                Map.entry("parameter_invalid proration_behavior", form -> form.put("proration_behavior", "sometimes")),
                Map.entry("parameter_invalid payment_behavior", form -> form.put("payment_behavior", "error_if_incomplete")),
                Map.entry("parameter_invalid proration_date", form -> form.put("proration_date", Long.toString(periodStart - 1))),
                Map.entry("null items[1]", form -> form.put("items[1][price_data][unit_amount]", "100")),
                Map.entry("null cancel_at_period_end", form -> form.put("cancel_at_period_end", "true")));

        for (Map.Entry<String, Consumer<Map<String, String>>> refusal : refusals) {
            HttpResponse<String> refused = call("POST", "/v1/subscriptions/sub_" + reference, changeForm(reference, refusal.getValue()));
            assertEquals(400, refused.statusCode(), refusal.getKey() + ": " + refused.body());
            Map<?, ?> error = (Map<?, ?>) json(refused).get("error");
            assertEquals(refusal.getKey(), error.get("code") + " " + error.get("param"), refused.body());
        }

        Subscription unchanged = client.v1().subscriptions().retrieve("sub_" + reference);
        assertEquals(12000L, item(unchanged).getPrice().getUnitAmount());
        assertEquals("in_" + reference + "_0", unchanged.getLatestInvoice());
        assertEquals(List.of(), events);

        assertEquals(200, call("DELETE", "/v1/subscriptions/sub_" + reference, null).statusCode());
        HttpResponse<String> ended = call("POST", "/v1/subscriptions/sub_" + reference, changeForm(reference, form -> { }));
        assertEquals(400, ended.statusCode());
        assertTrue(ended.body().contains("canceled"), ended.body());
        assertEquals(400, call("POST", "/_standin/subscriptions/sub_" + reference + "/card", "outcome=maybe").statusCode());
    }
}
