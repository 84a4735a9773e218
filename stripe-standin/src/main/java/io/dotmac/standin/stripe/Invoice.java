package io.dotmac.standin.stripe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invoice of a {@link Subscription}: the one that started it ({@code subscription_create}) or
 * a renewal's ({@code subscription_cycle}), for one period paid in advance, charged automatically
 * to the customer's card. Open until paid; each failed attempt counted. Its PaymentIntent
 * ({@code pi_<invoice>}) is the one every attempt uses. Its JSON is Stripe's since the 2025-03 API:
 * the subscription under {@code parent.subscription_details}, the period paid for on its line.
 */
final class Invoice {

    final String id;
    final Subscription subscription;
    /** The period this invoice pays for (the subscription's period number). */
    final int period;
    final String billingReason;
    final long created;
    final String hostedInvoiceUrl;
    /** The subscription's metadata when the invoice was made, as Stripe copies it. */
    private final Map<String, String> metadata;

    private String status = "open";
    private int attemptCount;
    private Long paidAt;

    Invoice(String id, Subscription subscription, int period, long created) {
        this.id = id;
        this.subscription = subscription;
        this.period = period;
        this.billingReason = period == 0 ? "subscription_create" : "subscription_cycle";
        this.created = created;
        this.hostedInvoiceUrl = subscription.baseUrl + "/invoice/" + id;
        this.metadata = Map.copyOf(subscription.metadata);
    }

    String paymentIntentId() {
        return "pi_" + id.substring(3);
    }

    synchronized String status() {
        return status;
    }

    /** An attempt to charge the card: paid, or one more failed attempt. True if it was paid by this call. */
    synchronized boolean attempt(boolean succeeds, long now) {
        if (!"open".equals(status)) {
            return false;
        }
        attemptCount++;
        if (succeeds) {
            status = "paid";
            paidAt = now;
        }
        return succeeds;
    }

    /** The invoice as Stripe's API returns it (and a webhook's {@code data.object}). */
    synchronized Map<String, Object> json() {
        long amount = subscription.amount();
        boolean paid = "paid".equals(status);
        // Stripe's own period of a renewal is the one just ended; its line is the one paid in advance.
        long ownStart = period == 0 ? created : subscription.periodStart(period - 1);
        long ownEnd = period == 0 ? created : subscription.periodStart(period);
        Map<String, Object> itemDetails = new LinkedHashMap<>();
        itemDetails.put("invoice_item", null);
        itemDetails.put("proration", false);
        itemDetails.put("subscription", subscription.id);
        itemDetails.put("subscription_item", "si_" + subscription.id.substring(4));
        Map<String, Object> lineParent = new LinkedHashMap<>();
        lineParent.put("invoice_item_details", null);
        lineParent.put("subscription_item_details", itemDetails);
        lineParent.put("type", "subscription_item_details");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", "il_" + id.substring(3));
        line.put("object", "line_item");
        line.put("amount", amount);
        line.put("currency", subscription.currency);
        line.put("description", subscription.quantity + " × " + subscription.productName);
        line.put("invoice", id);
        line.put("parent", lineParent);
        line.put("period", Map.of("start", subscription.periodStart(period), "end", subscription.periodStart(period + 1)));
        line.put("quantity", subscription.quantity);
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("object", "list");
        lines.put("data", List.of(line));
        lines.put("has_more", false);
        lines.put("url", "/v1/invoices/" + id + "/lines");
        Map<String, Object> subscriptionDetails = new LinkedHashMap<>();
        subscriptionDetails.put("metadata", metadata);
        subscriptionDetails.put("subscription", subscription.id);
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put("quote_details", null);
        parent.put("subscription_details", subscriptionDetails);
        parent.put("type", "subscription_details");
        Map<String, Object> transitions = new LinkedHashMap<>();
        transitions.put("finalized_at", created);
        transitions.put("paid_at", paidAt);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "invoice");
        json.put("amount_due", amount);
        json.put("amount_paid", paid ? amount : 0);
        json.put("amount_remaining", paid ? 0 : amount);
        json.put("attempt_count", attemptCount);
        json.put("attempted", attemptCount > 0);
        json.put("billing_reason", billingReason);
        json.put("collection_method", "charge_automatically");
        json.put("created", created);
        json.put("currency", subscription.currency);
        json.put("customer", subscription.customer);
        json.put("customer_email", subscription.customerEmail);
        json.put("hosted_invoice_url", hostedInvoiceUrl);
        json.put("lines", lines);
        json.put("livemode", false);
        json.put("parent", parent);
        json.put("period_end", ownEnd);
        json.put("period_start", ownStart);
        json.put("status", status);
        json.put("status_transitions", transitions);
        json.put("total", amount);
        return json;
    }

    /** Its payment as {@code GET /v1/invoice_payments?invoice=} lists it: the PaymentIntent that paid (or tries to pay) it. */
    synchronized Map<String, Object> paymentJson() {
        boolean paid = "paid".equals(status);
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("payment_intent", paymentIntentId());
        payment.put("type", "payment_intent");
        Map<String, Object> transitions = new LinkedHashMap<>();
        transitions.put("canceled_at", null);
        transitions.put("paid_at", paidAt);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", "inpay_" + id.substring(3));
        json.put("object", "invoice_payment");
        json.put("amount_paid", paid ? subscription.amount() : null);
        json.put("amount_requested", subscription.amount());
        json.put("created", created);
        json.put("currency", subscription.currency);
        json.put("invoice", id);
        json.put("is_default", true);
        json.put("livemode", false);
        json.put("payment", payment);
        json.put("status", paid ? "paid" : "open");
        json.put("status_transitions", transitions);
        return json;
    }
}
