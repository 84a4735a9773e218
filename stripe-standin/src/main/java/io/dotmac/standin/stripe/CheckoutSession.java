package io.dotmac.standin.stripe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Checkout Session: what it was opened with (the create request's form) and how far its
 * customer got, {@code open} → {@code complete} (paid) or {@code expired} (its {@code expires_at}
 * passed unpaid, or the API's expire closed it first), each move made once; and its JSON as
 * Stripe's API and webhooks carry it. Its PaymentIntent ({@code pi_<session id>}) is the one
 * every attempt on the page uses, as on Stripe. In {@code subscription} mode (one line, priced
 * every month or year) paying it starts a {@link Subscription}, whose first invoice pays; the
 * session then names those, not a PaymentIntent.
 */
final class CheckoutSession {

    /** A required parameter of the create request is missing: Stripe's 400 {@code parameter_missing}. */
    static final class MissingParam extends RuntimeException {

        final String param;

        MissingParam(String param) {
            super("Missing required param: " + param + ".");
            this.param = param;
        }
    }

    /** A parameter Stripe would refuse: its 400 {@code parameter_invalid_*}, with Stripe's message. */
    static final class InvalidParam extends RuntimeException {

        final String param;

        InvalidParam(String param, String message) {
            super(message);
            this.param = param;
        }
    }

    private static final long DEFAULT_EXPIRY_SECONDS = 24 * 60 * 60;

    final String id;
    final long created;
    final long expiresAt;
    final long amountTotal;
    /** The first line's unit price and quantity: what a subscription bills each period. */
    final long unitAmount;
    final long quantity;
    /** {@code month} or {@code year} in subscription mode, else null. */
    final String interval;
    final String currency;
    final String productName;
    final String customerEmail;
    final String clientReferenceId;
    final String successUrl;
    final String cancelUrl;
    final String mode;
    final Map<String, String> metadata;
    final Map<String, String> paymentIntentMetadata;
    final Map<String, String> subscriptionMetadata;
    final String paymentIntentDescription;
    final String baseUrl;
    final String pageUrl;

    private String status = "open";
    /** In subscription mode, once paid: what the payment started. */
    private String subscriptionId;
    private String invoiceId;
    private String customerId;

    private CheckoutSession(String id, StripeForm form, String baseUrl, long now) {
        this.id = id;
        this.created = now;
        Long expires = form.number("expires_at");
        this.expiresAt = expires == null ? now + DEFAULT_EXPIRY_SECONDS : expires;
        this.mode = require(form, "mode");
        require(form, "line_items[0][price_data][unit_amount]");
        this.currency = require(form, "line_items[0][price_data][currency]");
        long total = 0;
        for (int i = 0; form.get("line_items[" + i + "][price_data][unit_amount]") != null; i++) {
            Long quantity = form.number("line_items[" + i + "][quantity]");
            total += form.number("line_items[" + i + "][price_data][unit_amount]") * (quantity == null ? 1 : quantity);
        }
        this.amountTotal = total;
        this.unitAmount = form.number("line_items[0][price_data][unit_amount]");
        Long quantity = form.number("line_items[0][quantity]");
        this.quantity = quantity == null ? 1 : quantity;
        this.interval = form.get("line_items[0][price_data][recurring][interval]");
        if ("subscription".equals(mode)) {
            // Stripe's refusals of a subscription-mode session that billing could get wrong.
            if (interval == null) {
                throw new InvalidParam("line_items[0][price_data][recurring][interval]",
                        "You must specify at least one recurring price in `subscription` mode.");
            }
            if (!interval.equals("month") && !interval.equals("year")) {
                throw new InvalidParam("line_items[0][price_data][recurring][interval]",
                        "This stand-in bills every month or year, not every " + interval + ".");
            }
            if (form.get("line_items[1][price_data][unit_amount]") != null) {
                throw new InvalidParam("line_items[1]", "This stand-in bills one line per subscription.");
            }
            if (!form.hash("payment_intent_data[metadata]").isEmpty() || form.get("payment_intent_data[description]") != null) {
                throw new InvalidParam("payment_intent_data", "You can not pass `payment_intent_data` in `subscription` mode.");
            }
        } else if (interval != null) {
            throw new InvalidParam("line_items[0][price_data][recurring]",
                    "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only "
                            + "one-time prices.");
        }
        this.productName = form.get("line_items[0][price_data][product_data][name]");
        this.customerEmail = form.get("customer_email");
        this.clientReferenceId = form.get("client_reference_id");
        this.successUrl = form.get("success_url");
        this.cancelUrl = form.get("cancel_url");
        this.metadata = form.hash("metadata");
        this.paymentIntentMetadata = form.hash("payment_intent_data[metadata]");
        this.subscriptionMetadata = form.hash("subscription_data[metadata]");
        this.paymentIntentDescription = form.get("payment_intent_data[description]");
        this.baseUrl = baseUrl;
        this.pageUrl = baseUrl + "/checkout/pay/" + id;
    }

    /**
     * The session the form opens; {@link MissingParam} without a mode or a priced first line,
     * {@link InvalidParam} for what Stripe refuses in subscription mode.
     */
    static CheckoutSession open(String id, StripeForm form, String baseUrl, long now) {
        return new CheckoutSession(id, form, baseUrl, now);
    }

    private static String require(StripeForm form, String param) {
        String value = form.get(param);
        if (value == null) {
            throw new MissingParam(param);
        }
        return value;
    }

    synchronized String status() {
        return status;
    }

    String paymentIntentId() {
        return "pi_" + id;
    }

    /** Open → expired once {@code now} reaches {@code expires_at}; true only for the call that moved it. */
    synchronized boolean expireIfDue(long now) {
        return now >= expiresAt && expire();
    }

    /**
     * Open → expired now, before its {@code expires_at} (the API's expire; its {@code expires_at}
     * stays as it was, as on Stripe); true only for the call that moved it, false if it was not open.
     */
    synchronized boolean expire() {
        if (!"open".equals(status)) {
            return false;
        }
        status = "expired";
        return true;
    }

    /** Open → complete and paid; true only for the call that moved it (a second Pay changes nothing). */
    synchronized boolean pay() {
        if (!"open".equals(status)) {
            return false;
        }
        status = "complete";
        return true;
    }

    boolean subscriptionMode() {
        return "subscription".equals(mode);
    }

    /** In subscription mode: what paying the session started. */
    synchronized void started(Subscription subscription, Invoice invoice) {
        subscriptionId = subscription.id;
        invoiceId = invoice.id;
        customerId = subscription.customer;
    }

    /** The session as Stripe's API returns it now (and a webhook's {@code data.object}). */
    synchronized Map<String, Object> json() {
        boolean paid = "complete".equals(status);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "checkout.session");
        json.put("amount_subtotal", amountTotal);
        json.put("amount_total", amountTotal);
        json.put("cancel_url", cancelUrl);
        json.put("client_reference_id", clientReferenceId);
        json.put("created", created);
        json.put("currency", currency);
        json.put("customer", customerId);
        json.put("customer_email", customerEmail);
        json.put("expires_at", expiresAt);
        json.put("invoice", invoiceId);
        json.put("livemode", false);
        json.put("metadata", metadata);
        json.put("mode", mode);
        // In subscription mode the first invoice's PaymentIntent pays, and the session names none.
        json.put("payment_intent", paid && !subscriptionMode() ? paymentIntentId() : null);
        json.put("payment_method_types", List.of("card"));
        json.put("payment_status", paid ? "paid" : "unpaid");
        json.put("status", status);
        json.put("subscription", subscriptionId);
        json.put("success_url", successUrl);
        // Stripe shows the page's URL only while the session is open.
        json.put("url", "open".equals(status) ? pageUrl : null);
        return json;
    }

    /** The session's PaymentIntent after a declined attempt: a {@code payment_intent.payment_failed}'s object. */
    Map<String, Object> declinedPaymentIntent(String message, long now) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "card_declined");
        error.put("decline_code", "generic_decline");
        error.put("doc_url", "https://stripe.com/docs/error-codes/card-declined");
        error.put("message", message);
        error.put("type", "card_error");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", paymentIntentId());
        json.put("object", "payment_intent");
        json.put("amount", amountTotal);
        json.put("amount_received", 0);
        json.put("created", now);
        json.put("currency", currency);
        json.put("customer", null);
        json.put("description", paymentIntentDescription);
        json.put("last_payment_error", error);
        json.put("livemode", false);
        json.put("metadata", paymentIntentMetadata);
        json.put("payment_method_types", List.of("card"));
        json.put("status", "requires_payment_method");
        return json;
    }
}
