package io.dotmac.standin.stripe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.common.Json;
import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoicePayment;
import com.stripe.model.InvoicePaymentCollection;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hosted Checkout and Stripe Billing on the stand-in, driven over HTTP as stripe-java and a
 * customer's browser drive it, its webhooks read as {@link StandInFixture} reads them.
 */
class HostedCheckoutTest extends StandInFixture {

    static final String SUCCESS = "https://shop.example/paid?session_id={CHECKOUT_SESSION_ID}";

    // Checked once the endpoint is stopped, so that no webhook still on its way goes uncounted.
    @AfterEach
    @Override
    void stop() {
        super.stop();
        assertEquals(List.of(), refused, "every webhook's signature verifies");
    }

    // -- as stripe-java and a browser call it

    /** The create request's form as stripe-java encodes billing's SessionCreateParams for a one-off payment. */
    static String sessionForm(String reference, String email, long expiresAt) {
        return encode(sessionParams(reference, email, expiresAt, null));
    }

    /**
     * The form of a session in payment mode ({@code interval} null) or in subscription mode, billed
     * every {@code interval}, its metadata on the subscription rather than the PaymentIntent.
     */
    static Map<String, String> sessionParams(String reference, String email, long expiresAt, String interval) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("mode", interval == null ? "payment" : "subscription");
        form.put("success_url", SUCCESS);
        form.put("client_reference_id", reference);
        form.put("expires_at", Long.toString(expiresAt));
        for (String prefix : new String[] {"metadata", interval == null ? "payment_intent_data[metadata]" : "subscription_data[metadata]"}) {
            form.put(prefix + "[payment_id]", reference);
            form.put(prefix + "[quote_id]", "q-" + reference);
            form.put(prefix + "[tenant_id]", "tenant-a");
        }
        if (interval == null) {
            form.put("payment_intent_data[description]", "Quote q-" + reference);
        } else {
            form.put("subscription_data[description]", "Quote q-" + reference);
            form.put("line_items[0][price_data][recurring][interval]", interval);
        }
        form.put("line_items[0][price_data][currency]", "usd");
        form.put("line_items[0][price_data][unit_amount]", "12000");
        form.put("line_items[0][price_data][product_data][name]", "Quote q-" + reference);
        form.put("line_items[0][quantity]", "1");
        form.put("customer_email", email);
        return form;
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        return Json.read(response.body(), Map.class);
    }

    Map<String, Object> open(String reference, String email, long expiresAt) {
        HttpResponse<String> created = call("POST", "/v1/checkout/sessions", sessionForm(reference, email, expiresAt));
        assertEquals(200, created.statusCode(), created.body());
        return json(created);
    }

    Map<String, Object> retrieve(String id) {
        HttpResponse<String> session = call("GET", "/v1/checkout/sessions/" + id, null);
        assertEquals(200, session.statusCode(), session.body());
        return json(session);
    }

    /** The text of the page's element with this data-testid, or null if it has none. */
    static String testid(String html, String id) {
        Matcher matcher = Pattern.compile("data-testid=\"" + id + "\"[^>]*>([^<]*)<").matcher(html);
        return matcher.find() ? matcher.group(1) : null;
    }

    static long inAnHour() {
        return Instant.now().getEpochSecond() + 3600;
    }

    List<Event> received(String type) {
        return events.stream().filter(event -> type.equals(event.getType())).toList();
    }

    // -- the tests

    @Test
    void aSessionIsOpenedOncePerReferenceAndReadBackAsStripeAnswers() {
        String reference = UUID.randomUUID().toString();
        long expiresAt = inAnHour();
        Map<String, Object> session = open(reference, "buyer@example.com", expiresAt);
        String id = "cs_test_" + reference;
        assertEquals(id, session.get("id"));
        assertEquals("checkout.session", session.get("object"));
        assertEquals(12000, session.get("amount_total"));
        assertEquals("usd", session.get("currency"));
        assertEquals("buyer@example.com", session.get("customer_email"));
        assertEquals(expiresAt, ((Number) session.get("expires_at")).longValue());
        assertEquals(Map.of("payment_id", reference, "quote_id", "q-" + reference, "tenant_id", "tenant-a"), session.get("metadata"));
        assertEquals("payment", session.get("mode"));
        assertTrue(session.containsKey("payment_intent") && session.get("payment_intent") == null, session.toString());
        assertEquals("unpaid", session.get("payment_status"));
        assertEquals("open", session.get("status"));
        assertEquals(SUCCESS, session.get("success_url"));
        assertTrue(session.containsKey("cancel_url") && session.get("cancel_url") == null);
        assertEquals(stripe.baseUrl() + "/checkout/pay/" + id, session.get("url"));

        assertEquals(session, open(reference, "buyer@example.com", expiresAt), "asked again: the same session");
        assertEquals(session, retrieve(id));

        HttpResponse<String> unknown = call("GET", "/v1/checkout/sessions/cs_test_nobody", null);
        assertEquals(404, unknown.statusCode());
        assertEquals(Map.of("error", Map.of("type", "invalid_request_error", "code", "resource_missing",
                "message", "No such checkout.session: 'cs_test_nobody'", "param", "session")), json(unknown));
        HttpResponse<String> incomplete = call("POST", "/v1/checkout/sessions", "mode=payment&client_reference_id=x");
        assertEquals(400, incomplete.statusCode());
        assertEquals("parameter_missing", ((Map<?, ?>) json(incomplete).get("error")).get("code"));
        assertEquals(404, call("GET", "/checkout/pay/cs_test_nobody", null).statusCode());
        assertEquals(List.of(), events);
    }

    @Test
    void aDeclinedCardLeavesTheSessionOpenAndPayingCompletesItOnceWithItsWebhooks() {
        String reference = UUID.randomUUID().toString();
        String id = (String) open(reference, "buyer@example.com", inAnHour()).get("id");

        String page = call("GET", "/checkout/pay/" + id, null).body();
        assertEquals("120.00 USD", testid(page, "amount"));
        assertEquals("Quote q-" + reference, testid(page, "product"));
        assertEquals("buyer@example.com", testid(page, "customer-email"));
        assertEquals("open", testid(page, "status"));
        assertTrue(page.contains("data-testid=\"pay-button\"") && page.contains("data-testid=\"decline-button\""), page);
        assertNull(testid(page, "message"));

        HttpResponse<String> declined = call("POST", "/checkout/pay/" + id + "/decline", "");
        assertEquals(200, declined.statusCode());
        assertEquals("Your card was declined.", testid(declined.body(), "message"));
        assertTrue(declined.body().contains("data-testid=\"pay-button\""), "the customer may try again");
        await().atMost(Duration.ofSeconds(5)).until(() -> received("payment_intent.payment_failed").size() == 1);
        Event failed = received("payment_intent.payment_failed").get(0);
        assertEquals(Stripe.API_VERSION, failed.getApiVersion());
        PaymentIntent intent = (PaymentIntent) failed.getDataObjectDeserializer().getObject().orElseThrow();
        assertEquals("pi_" + id, intent.getId());
        assertEquals("requires_payment_method", intent.getStatus());
        assertEquals(Map.of("payment_id", reference, "quote_id", "q-" + reference, "tenant_id", "tenant-a"), intent.getMetadata());
        assertEquals("card_error", intent.getLastPaymentError().getType());
        assertEquals("card_declined", intent.getLastPaymentError().getCode());
        assertEquals("Your card was declined.", intent.getLastPaymentError().getMessage());
        assertEquals(12000L, intent.getAmount());
        assertEquals("open", retrieve(id).get("status"));

        HttpResponse<String> paid = call("POST", "/checkout/pay/" + id + "/pay", "");
        assertEquals(303, paid.statusCode());
        assertEquals("https://shop.example/paid?session_id=" + id, paid.headers().firstValue("Location").orElseThrow());
        // The answer waited for the delivery.
        List<Event> completed = received("checkout.session.completed");
        assertEquals(1, completed.size());
        Session session = (Session) completed.get(0).getDataObjectDeserializer().getObject().orElseThrow();
        assertEquals(id, session.getId());
        assertEquals("complete", session.getStatus());
        assertEquals("paid", session.getPaymentStatus());
        assertEquals("pi_" + id, session.getPaymentIntent());
        assertEquals(reference, session.getMetadata().get("payment_id"));

        Map<String, Object> now = retrieve(id);
        assertEquals("complete", now.get("status"));
        assertEquals("paid", now.get("payment_status"));
        assertEquals("pi_" + id, now.get("payment_intent"));
        String after = call("GET", "/checkout/pay/" + id, null).body();
        assertEquals("complete", testid(after, "status"));
        assertFalse(after.contains("pay-button"), after);

        // Pay again: sent on to the success page, nothing else happens.
        assertEquals(303, call("POST", "/checkout/pay/" + id + "/pay", "").statusCode());
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> events.size() == 2);
    }

    @Test
    void aLostCustomersPaymentSendsNoWebhookButReadsPaid() {
        String id = (String) open(UUID.randomUUID().toString(), "lost.buyer@example.com", inAnHour()).get("id");

        assertEquals(303, call("POST", "/checkout/pay/" + id + "/pay", "").statusCode());

        assertEquals("paid", retrieve(id).get("payment_status"));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == 0);
    }

    @Test
    void aSessionLeftUnpaidExpiresOnceWithItsWebhook() {
        String id = (String) open(UUID.randomUUID().toString(), "slow@example.com", Instant.now().getEpochSecond() + 2).get("id");

        await().atMost(Duration.ofSeconds(6)).until(() -> received("checkout.session.expired").size() == 1);
        Session expired = (Session) received("checkout.session.expired").get(0).getDataObjectDeserializer().getObject().orElseThrow();
        assertEquals(id, expired.getId());
        assertEquals("expired", expired.getStatus());
        assertEquals("unpaid", expired.getPaymentStatus());
        assertEquals("expired", retrieve(id).get("status"));

        HttpResponse<String> tooLate = call("POST", "/checkout/pay/" + id + "/pay", "");
        assertEquals(200, tooLate.statusCode());
        assertEquals("expired", testid(tooLate.body(), "status"));
        assertEquals("unpaid", retrieve(id).get("payment_status"));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> events.size() == 1);
    }

    @Test
    void aSessionExpiredThroughTheApiClosesAtOnceWithTheWebhookOfAnExpiryByTimeSentOnce() throws StripeException {
        // Due in 2 s: once that passes, the sweep finds it expired already and sends nothing more.
        long expiresAt = Instant.now().getEpochSecond() + 2;
        String reference = UUID.randomUUID().toString();
        String id = (String) open(reference, "abandoned@example.com", expiresAt).get("id");
        StripeClient client = StripeClient.builder().setApiKey("sk_test_standin").setApiBase(stripe.baseUrl())
                .setMaxNetworkRetries(0).build();
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("expire-" + reference).build();

        Session expired = client.v1().checkout().sessions().expire(id, key);
        assertEquals(id, expired.getId());
        assertEquals("expired", expired.getStatus());
        assertEquals("unpaid", expired.getPaymentStatus());
        assertNull(expired.getUrl(), "a closed session shows no page");
        assertEquals(expiresAt, (long) expired.getExpiresAt(), "expired early, its expires_at stays as it was");
        // The answer waited for the delivery: the event an expiry by time sends.
        List<Event> sent = received("checkout.session.expired");
        assertEquals(1, sent.size());
        Session object = (Session) sent.get(0).getDataObjectDeserializer().getObject().orElseThrow();
        assertEquals(id, object.getId());
        assertEquals("expired", object.getStatus());
        assertEquals("unpaid", object.getPaymentStatus());
        assertEquals(reference, object.getMetadata().get("payment_id"));
        assertEquals("expired", retrieve(id).get("status"));
        HttpResponse<String> tooLate = call("POST", "/checkout/pay/" + id + "/pay", "");
        assertEquals("expired", testid(tooLate.body(), "status"));

        // Sent again with its Idempotency-Key: the first answer. Without: Stripe's refusal, in its words.
        assertEquals("expired", client.v1().checkout().sessions().expire(id, key).getStatus());
        HttpResponse<String> again = call("POST", "/v1/checkout/sessions/" + id + "/expire", "");
        assertEquals(400, again.statusCode());
        Map<?, ?> error = (Map<?, ?>) json(again).get("error");
        assertEquals("invalid_request_error", error.get("type"));
        assertEquals("Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of "
                + "`expired`.", error.get("message"));
        assertThrows(InvalidRequestException.class, () -> client.v1().checkout().sessions().expire(id));

        // A paid session is not expired either; an unknown one is missing.
        String paid = (String) open(UUID.randomUUID().toString(), "buyer@example.com", inAnHour()).get("id");
        assertEquals(303, call("POST", "/checkout/pay/" + paid + "/pay", "").statusCode());
        HttpResponse<String> complete = call("POST", "/v1/checkout/sessions/" + paid + "/expire", "");
        assertEquals(400, complete.statusCode());
        assertTrue(complete.body().contains("has a status of `complete`"), complete.body());
        assertEquals("complete", retrieve(paid).get("status"));
        HttpResponse<String> unknown = call("POST", "/v1/checkout/sessions/cs_test_nobody/expire", "");
        assertEquals(404, unknown.statusCode());
        assertEquals("resource_missing", ((Map<?, ?>) json(unknown).get("error")).get("code"));

        // Its expires_at passes: still the one checkout.session.expired.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> received("checkout.session.expired").size() == 1);
    }

    @Test
    void aWebhookTheEndpointFailsIsSentAgain() {
        String id = (String) open(UUID.randomUUID().toString(), "buyer@example.com", inAnHour()).get("id");
        failFirst.add(503);

        assertEquals(303, call("POST", "/checkout/pay/" + id + "/pay", "").statusCode());

        await().atMost(Duration.ofSeconds(5)).until(() -> received("checkout.session.completed").size() == 1);
        assertEquals(2, calls.get());
    }

    /** Stripe Billing's part: subscription-mode sessions, the subscriptions they start, their invoices and the test clock. */
    @Nested
    class SubscriptionMode {

        /** Opens a monthly session for {@code email} and pays it on its page; the session's JSON after. */
        Map<String, Object> subscribe(String reference, String email) {
            HttpResponse<String> created = call("POST", "/v1/checkout/sessions",
                    encode(sessionParams(reference, email, inAnHour(), "month")));
            assertEquals(200, created.statusCode(), created.body());
            String id = (String) json(created).get("id");
            assertEquals(303, call("POST", "/checkout/pay/" + id + "/pay", "").statusCode());
            return retrieve(id);
        }

        <T> T object(Event event, Class<T> type) {
            // getObject(): stripe-java reads it, at its own API version, or gives nothing.
            return type.cast(event.getDataObjectDeserializer().getObject().orElseThrow());
        }

        Map<String, Object> subscription(String id) {
            HttpResponse<String> answer = call("GET", "/v1/subscriptions/" + id, null);
            assertEquals(200, answer.statusCode(), answer.body());
            return json(answer);
        }

        HttpResponse<String> nextPeriod(String id, String outcome) {
            return call("POST", "/_standin/subscriptions/" + id + "/next_period", outcome == null ? "" : "outcome=" + outcome);
        }

        @Test
        void payingStartsAMonthlySubscriptionWhoseFirstInvoiceIsPaid() {
            String reference = UUID.randomUUID().toString();
            Map<String, Object> session = subscribe(reference, "subscriber@example.com");

            String subscriptionId = "sub_" + reference;
            String invoiceId = "in_" + reference + "_0";
            assertEquals("subscription", session.get("mode"));
            assertEquals("paid", session.get("payment_status"));
            assertEquals(subscriptionId, session.get("subscription"));
            assertEquals(invoiceId, session.get("invoice"));
            assertEquals("cus_" + reference, session.get("customer"));
            assertNull(session.get("payment_intent"), "the first invoice's PaymentIntent pays, the session names none");
            // Stripe's order here; the answer to Pay waited for the last.
            assertEquals(List.of("customer.subscription.created", "invoice.paid", "checkout.session.completed"),
                    events.stream().map(Event::getType).toList());

            com.stripe.model.Subscription created = object(events.get(0), com.stripe.model.Subscription.class);
            assertEquals(subscriptionId, created.getId());
            assertEquals("active", created.getStatus());
            assertEquals(Map.of("payment_id", reference, "quote_id", "q-" + reference, "tenant_id", "tenant-a"), created.getMetadata());
            var item = created.getItems().getData().get(0);
            OffsetDateTime start = Instant.ofEpochSecond(item.getCurrentPeriodStart()).atOffset(ZoneOffset.UTC);
            assertEquals(start.plusMonths(1).toEpochSecond(), item.getCurrentPeriodEnd());
            assertEquals("month", item.getPrice().getRecurring().getInterval());
            assertEquals(12000L, item.getPrice().getUnitAmount());

            Invoice invoice = object(events.get(1), Invoice.class);
            assertEquals(invoiceId, invoice.getId());
            assertEquals("paid", invoice.getStatus());
            assertEquals("subscription_create", invoice.getBillingReason());
            assertEquals(12000L, invoice.getAmountPaid());
            assertEquals(subscriptionId, invoice.getParent().getSubscriptionDetails().getSubscription());
            assertEquals("tenant-a", invoice.getParent().getSubscriptionDetails().getMetadata().get("tenant_id"));
            assertEquals(item.getCurrentPeriodStart(), invoice.getLines().getData().get(0).getPeriod().getStart());
            assertEquals(item.getCurrentPeriodEnd(), invoice.getLines().getData().get(0).getPeriod().getEnd());
            assertEquals(stripe.baseUrl() + "/invoice/" + invoiceId, invoice.getHostedInvoiceUrl());

            assertEquals(subscriptionId, subscription(subscriptionId).get("id"));
            HttpResponse<String> payments = call("GET", "/v1/invoice_payments?invoice=" + invoiceId, null);
            assertEquals(200, payments.statusCode());
            InvoicePayment payment = com.stripe.net.ApiResource.GSON.fromJson(payments.body(), InvoicePaymentCollection.class).getData().get(0);
            assertEquals("pi_" + reference + "_0", payment.getPayment().getPaymentIntent());
            assertEquals("paid", payment.getStatus());
            assertEquals(404, call("GET", "/v1/subscriptions/sub_nobody", null).statusCode());
        }

        @Test
        void theNextPeriodIsPaidOrDeclinedAndALatePaymentOnTheInvoicePageMakesItActiveAgain() {
            String reference = UUID.randomUUID().toString();
            subscribe(reference, "renewing@example.com");
            String subscriptionId = "sub_" + reference;
            events.clear();

            assertEquals(200, nextPeriod(subscriptionId, null).statusCode());
            assertEquals(List.of("customer.subscription.updated", "invoice.paid"), events.stream().map(Event::getType).toList());
            Invoice renewal = object(events.get(1), Invoice.class);
            assertEquals("in_" + reference + "_1", renewal.getId());
            assertEquals("subscription_cycle", renewal.getBillingReason());
            com.stripe.model.Subscription renewed = object(events.get(0), com.stripe.model.Subscription.class);
            var item = renewed.getItems().getData().get(0);
            assertEquals(item.getCurrentPeriodStart(), renewal.getLines().getData().get(0).getPeriod().getStart());
            assertEquals(item.getCurrentPeriodStart(), renewal.getPeriodEnd(), "Stripe's own period of a renewal is the one ended");
            events.clear();

            assertEquals(200, nextPeriod(subscriptionId, "declined").statusCode());
            assertEquals(List.of("customer.subscription.updated", "invoice.payment_failed"), events.stream().map(Event::getType).toList());
            assertEquals("past_due", object(events.get(0), com.stripe.model.Subscription.class).getStatus());
            Invoice failed = object(events.get(1), Invoice.class);
            assertEquals("open", failed.getStatus());
            assertEquals(1L, failed.getAttemptCount());
            events.clear();

            String page = call("GET", "/invoice/" + failed.getId(), null).body();
            assertEquals("120.00 USD", testid(page, "amount"));
            assertEquals("open", testid(page, "status"));
            assertEquals("Your card was declined.", testid(call("POST", "/invoice/" + failed.getId() + "/decline", "").body(), "message"));
            assertEquals("paid", testid(call("POST", "/invoice/" + failed.getId() + "/pay", "").body(), "status"));
            assertEquals(List.of("invoice.payment_failed", "invoice.paid", "customer.subscription.updated"),
                    events.stream().map(Event::getType).toList());
            assertEquals(2L, object(events.get(0), Invoice.class).getAttemptCount());
            assertEquals("active", object(events.get(2), com.stripe.model.Subscription.class).getStatus());
            assertEquals("active", subscription(subscriptionId).get("status"));
            assertEquals(400, nextPeriod(subscriptionId, "maybe").statusCode());
        }

        @Test
        void aSubscriptionSetToCancelAtPeriodEndEndsWithItsPeriod() {
            String reference = UUID.randomUUID().toString();
            subscribe(reference, "leaving@example.com");
            String subscriptionId = "sub_" + reference;
            events.clear();

            HttpResponse<String> set = call("POST", "/v1/subscriptions/" + subscriptionId, "cancel_at_period_end=true");
            assertEquals(200, set.statusCode());
            assertEquals(true, json(set).get("cancel_at_period_end"));
            assertEquals(200, nextPeriod(subscriptionId, null).statusCode());
            assertEquals(List.of("customer.subscription.updated", "customer.subscription.deleted"),
                    events.stream().map(Event::getType).toList());
            com.stripe.model.Subscription ended = object(events.get(1), com.stripe.model.Subscription.class);
            assertEquals("canceled", ended.getStatus());
            assertEquals(ended.getItems().getData().get(0).getCurrentPeriodEnd(), ended.getEndedAt());
            assertEquals(400, nextPeriod(subscriptionId, null).statusCode(), "an ended subscription has no next period");
            assertEquals(400, call("DELETE", "/v1/subscriptions/" + subscriptionId, null).statusCode());
        }

        @Test
        void aSubscriptionCancelledNowEndsAtOnce() {
            String reference = UUID.randomUUID().toString();
            subscribe(reference, "gone@example.com");
            events.clear();

            HttpResponse<String> cancelled = call("DELETE", "/v1/subscriptions/sub_" + reference, null);
            assertEquals(200, cancelled.statusCode());
            assertEquals("canceled", json(cancelled).get("status"));
            assertEquals(List.of("customer.subscription.deleted"), events.stream().map(Event::getType).toList());
        }

        @Test
        void whatStripeRefusesInSubscriptionModeIsRefused() {
            Map<String, String> noInterval = sessionParams(UUID.randomUUID().toString(), "a@example.com", inAnHour(), "month");
            noInterval.remove("line_items[0][price_data][recurring][interval]");
            HttpResponse<String> refused = call("POST", "/v1/checkout/sessions", encode(noInterval));
            assertEquals(400, refused.statusCode());
            assertEquals("parameter_invalid", ((Map<?, ?>) json(refused).get("error")).get("code"));

            Map<String, String> intentData = sessionParams(UUID.randomUUID().toString(), "a@example.com", inAnHour(), "month");
            intentData.put("payment_intent_data[metadata][payment_id]", "x");
            assertEquals(400, call("POST", "/v1/checkout/sessions", encode(intentData)).statusCode());

            Map<String, String> recurringPayment = sessionParams(UUID.randomUUID().toString(), "a@example.com", inAnHour(), null);
            recurringPayment.put("line_items[0][price_data][recurring][interval]", "month");
            assertEquals(400, call("POST", "/v1/checkout/sessions", encode(recurringPayment)).statusCode());

            String id = (String) json(call("POST", "/v1/checkout/sessions",
                    encode(sessionParams(UUID.randomUUID().toString(), "a@example.com", inAnHour(), "year")))).get("id");
            call("POST", "/checkout/pay/" + id + "/decline", "");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> events.isEmpty());
        }
    }
}
