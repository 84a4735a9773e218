package io.dotmac.standin.stripe;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscription a Checkout Session in subscription mode started: one item (the session's priced
 * line, in its quantity), billed every month or year from its anchor, the moment it started. Its
 * periods are counted from the anchor, as Stripe's billing cycle anchor keeps them: started on
 * 31 January, it renews on 28 (or 29) February, then on 31 March. Its JSON is Stripe's since the
 * 2025-03 API, the current period on the item.
 */
final class Subscription {

    final String id;
    final String customer;
    final String customerEmail;
    final long created;
    final String currency;
    final long unitAmount;
    final long quantity;
    final String productName;
    /** {@code month} or {@code year}. */
    final String interval;
    final Map<String, String> metadata;
    /** Where its invoices' hosted pages are: this stand-in's address. */
    final String baseUrl;
    private final OffsetDateTime anchor;

    private String status = "active";
    /** How many periods have begun: the first is number 0. */
    private int period;
    private boolean cancelAtPeriodEnd;
    private Long canceledAt;
    private Long endedAt;
    private String latestInvoice;

    Subscription(String id, String customer, String customerEmail, CheckoutSession session, long now) {
        this.id = id;
        this.customer = customer;
        this.customerEmail = customerEmail;
        this.created = now;
        this.currency = session.currency;
        this.unitAmount = session.unitAmount;
        this.quantity = session.quantity;
        this.productName = session.productName;
        this.interval = session.interval;
        this.metadata = session.subscriptionMetadata;
        this.baseUrl = session.baseUrl;
        this.anchor = Instant.ofEpochSecond(now).atOffset(ZoneOffset.UTC);
    }

    /** The start of its period {@code n} (Unix seconds). */
    long periodStart(int n) {
        return periodStart(anchor, interval, n);
    }

    /**
     * The start of period {@code n} of a subscription anchored at {@code anchor}, billed every
     * {@code interval} ({@code month} or {@code year}): the anchor plus n of them, the day of the
     * month kept where the month has it and else its last day, never drifting from the anchor.
     */
    static long periodStart(OffsetDateTime anchor, String interval, int n) {
        return ("year".equals(interval) ? anchor.plusYears(n) : anchor.plusMonths(n)).toEpochSecond();
    }

    synchronized int period() {
        return period;
    }

    synchronized String status() {
        return status;
    }

    synchronized boolean cancelAtPeriodEnd() {
        return cancelAtPeriodEnd;
    }

    long amount() {
        return unitAmount * quantity;
    }

    synchronized void invoiced(String invoiceId) {
        latestInvoice = invoiceId;
    }

    /** The next period begins; the subscription is past due until its invoice is paid. */
    synchronized void renew(boolean paid) {
        period++;
        status = paid ? "active" : "past_due";
    }

    /** Its latest invoice was paid late: active again. */
    synchronized void paid() {
        if ("past_due".equals(status) || "unpaid".equals(status)) {
            status = "active";
        }
    }

    /** Cancels at the end of the current period (true) or no longer (false). */
    synchronized void cancelAtPeriodEnd(boolean cancel, long now) {
        cancelAtPeriodEnd = cancel;
        canceledAt = cancel ? Long.valueOf(now) : null;
    }

    /** Ends now: canceled, for good. */
    synchronized void end(long now) {
        status = "canceled";
        if (canceledAt == null) {
            canceledAt = now;
        }
        endedAt = now;
    }

    /** The subscription as Stripe's API returns it (and a webhook's {@code data.object}). */
    synchronized Map<String, Object> json() {
        Map<String, Object> recurring = new LinkedHashMap<>();
        recurring.put("interval", interval);
        recurring.put("interval_count", 1);
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("id", "price_" + id.substring(4));
        price.put("object", "price");
        price.put("currency", currency);
        price.put("recurring", recurring);
        price.put("type", "recurring");
        price.put("unit_amount", unitAmount);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "si_" + id.substring(4));
        item.put("object", "subscription_item");
        item.put("current_period_end", periodStart(period + 1));
        item.put("current_period_start", periodStart(period));
        item.put("price", price);
        item.put("quantity", quantity);
        item.put("subscription", id);
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("object", "list");
        items.put("data", List.of(item));
        items.put("has_more", false);
        items.put("url", "/v1/subscription_items?subscription=" + id);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("object", "subscription");
        json.put("billing_cycle_anchor", anchor.toEpochSecond());
        json.put("cancel_at_period_end", cancelAtPeriodEnd);
        json.put("canceled_at", canceledAt);
        json.put("collection_method", "charge_automatically");
        json.put("created", created);
        json.put("currency", currency);
        json.put("customer", customer);
        json.put("ended_at", endedAt);
        json.put("items", items);
        json.put("latest_invoice", latestInvoice);
        json.put("livemode", false);
        json.put("metadata", metadata);
        json.put("start_date", created);
        json.put("status", status);
        return json;
    }
}
