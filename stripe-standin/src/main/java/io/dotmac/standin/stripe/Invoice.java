package io.dotmac.standin.stripe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invoice of a {@link Subscription}: the one that started it ({@code subscription_create}), a
 * renewal's ({@code subscription_cycle}, a period paid in advance and the prorations of changes
 * left for it) or a change's billed at once ({@code subscription_update}, its two prorations),
 * charged automatically to the customer's card. Its lines and figures are fixed when it is made,
 * as Stripe finalizes an invoice: a later change of the subscription leaves it as it was. The
 * customer's balance goes on it then: a credit lowers what is due, a negative total adds to the
 * credit ({@code starting_balance}, {@code ending_balance}); nothing due, it is paid at once.
 * Else open until paid, each failed attempt counted, or void if the change it was for lapsed. Its
 * PaymentIntent ({@code pi_<invoice>}) is the one every attempt uses. Its JSON is Stripe's since
 * the 2025-03 API: the subscription under {@code parent.subscription_details}, the period paid for
 * on its lines.
 */
final class Invoice {

    /**
     * A line: the item at {@code price} in {@code quantity} for {@code start}–{@code end}, or a
     * proration of a change (its amount the part of the period left, negative for the credit).
     */
    record Line(String description, long amount, Subscription.Price price, long quantity, long start, long end,
                boolean proration) {
    }

    final String id;
    final Subscription subscription;
    /** The subscription's period this invoice was made in (a renewal's: the one it pays for). */
    final int period;
    final String billingReason;
    final long created;
    final String hostedInvoiceUrl;
    final List<Line> lines;
    final long total;
    /** The customer's balance before this invoice, and after it took what it could. */
    final long startingBalance;
    final long endingBalance;
    /** What the card is charged: the total less the customer's credit, never below zero. */
    final long amountDue;
    /** The subscription's metadata when the invoice was made, as Stripe copies it. */
    private final Map<String, String> metadata;

    private String status = "open";
    private int attemptCount;
    private Long paidAt;
    private Long voidedAt;

    Invoice(String id, Subscription subscription, int period, String billingReason, long created, List<Line> lines,
            long startingBalance) {
        this.id = id;
        this.subscription = subscription;
        this.period = period;
        this.billingReason = billingReason;
        this.created = created;
        this.hostedInvoiceUrl = subscription.baseUrl + "/invoice/" + id;
        this.lines = List.copyOf(lines);
        this.total = lines.stream().mapToLong(Line::amount).sum();
        this.startingBalance = startingBalance;
        this.amountDue = Math.max(0, total + startingBalance);
        this.endingBalance = total + startingBalance - amountDue;
        this.metadata = Map.copyOf(subscription.metadata);
    }

    String paymentIntentId() {
        return "pi_" + id.substring(3);
    }

    synchronized String status() {
        return status;
    }

    /**
     * An attempt to charge the card: paid, or one more failed attempt. With nothing due it is paid
     * without a charge, whatever the card would do. True if it was paid by this call.
     */
    synchronized boolean attempt(boolean succeeds, long now) {
        if (!"open".equals(status)) {
            return false;
        }
        if (amountDue > 0) {
            attemptCount++;
        }
        if (succeeds || amountDue == 0) {
            status = "paid";
            paidAt = now;
            return true;
        }
        return false;
    }

    /** Open → void (the change it was for lapsed): nothing is owed. True if it was voided by this call. */
    synchronized boolean voided(long now) {
        if (!"open".equals(status)) {
            return false;
        }
        status = "void";
        voidedAt = now;
        return true;
    }

    /** The invoice as Stripe's API returns it (and a webhook's {@code data.object}). */
    synchronized Map<String, Object> json() {
        long amountPaid = "paid".equals(status) ? amountDue : 0;
        // Stripe's own period of a renewal is the one just ended; its line is the one paid in advance.
        boolean renewal = "subscription_cycle".equals(billingReason);
        long ownStart = renewal ? subscription.periodStart(period - 1) : created;
        long ownEnd = renewal ? subscription.periodStart(period) : created;
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            data.add(lineJson(lines.get(i), i));
        }
        Map<String, Object> linesJson = new LinkedHashMap<>();
        linesJson.put("object", "list");
        linesJson.put("data", data);
        linesJson.put("has_more", false);
        linesJson.put("url", "/v1/invoices/" + id + "/lines");
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
        transitions.put("voided_at", voidedAt);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "invoice");
        json.put("amount_due", amountDue);
        json.put("amount_paid", amountPaid);
        json.put("amount_remaining", amountDue - amountPaid);
        json.put("attempt_count", attemptCount);
        json.put("attempted", attemptCount > 0);
        json.put("billing_reason", billingReason);
        json.put("collection_method", "charge_automatically");
        json.put("created", created);
        json.put("currency", subscription.currency);
        json.put("customer", subscription.customer);
        json.put("customer_email", subscription.customerEmail);
        json.put("ending_balance", endingBalance);
        json.put("hosted_invoice_url", hostedInvoiceUrl);
        json.put("lines", linesJson);
        json.put("livemode", false);
        json.put("parent", parent);
        json.put("period_end", ownEnd);
        json.put("period_start", ownStart);
        json.put("starting_balance", startingBalance);
        json.put("status", status);
        json.put("status_transitions", transitions);
        json.put("subtotal", total);
        json.put("total", total);
        return json;
    }

    /** Line {@code i}: the first {@code il_<invoice>}, the next {@code il_<invoice>_<i>}; a proration's from its invoice item. */
    private Map<String, Object> lineJson(Line line, int i) {
        String suffix = id.substring(3) + (i == 0 ? "" : "_" + i);
        Map<String, Object> itemDetails = new LinkedHashMap<>();
        itemDetails.put("invoice_item", line.proration() ? "ii_" + suffix : null);
        itemDetails.put("proration", line.proration());
        itemDetails.put("subscription", subscription.id);
        itemDetails.put("subscription_item", subscription.itemId());
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put("invoice_item_details", null);
        parent.put("subscription_item_details", itemDetails);
        parent.put("type", "subscription_item_details");
        Map<String, Object> priceDetails = new LinkedHashMap<>();
        priceDetails.put("price", line.price().id());
        priceDetails.put("product", subscription.product);
        Map<String, Object> pricing = new LinkedHashMap<>();
        pricing.put("price_details", priceDetails);
        pricing.put("type", "price_details");
        pricing.put("unit_amount_decimal", Long.toString(line.price().unitAmount()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", "il_" + suffix);
        json.put("object", "line_item");
        json.put("amount", line.amount());
        json.put("currency", subscription.currency);
        json.put("description", line.description());
        json.put("invoice", id);
        json.put("parent", parent);
        json.put("period", Map.of("start", line.start(), "end", line.end()));
        json.put("pricing", pricing);
        json.put("quantity", line.quantity());
        return json;
    }

    /**
     * Its payment as {@code GET /v1/invoice_payments?invoice=} lists it: the PaymentIntent that paid
     * (or tries to pay) it, canceled with a void invoice. An invoice with nothing due has none.
     */
    synchronized Map<String, Object> paymentJson() {
        boolean paid = "paid".equals(status);
        boolean canceled = "void".equals(status);
        Map<String, Object> payment = new LinkedHashMap<>();
        payment.put("payment_intent", paymentIntentId());
        payment.put("type", "payment_intent");
        Map<String, Object> transitions = new LinkedHashMap<>();
        transitions.put("canceled_at", voidedAt);
        transitions.put("paid_at", paidAt);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", "inpay_" + id.substring(3));
        json.put("object", "invoice_payment");
        json.put("amount_paid", paid ? amountDue : null);
        json.put("amount_requested", amountDue);
        json.put("created", created);
        json.put("currency", subscription.currency);
        json.put("invoice", id);
        json.put("is_default", true);
        json.put("livemode", false);
        json.put("payment", payment);
        json.put("status", paid ? "paid" : canceled ? "canceled" : "open");
        json.put("status_transitions", transitions);
        return json;
    }
}
