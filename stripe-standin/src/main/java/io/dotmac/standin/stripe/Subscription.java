package io.dotmac.standin.stripe;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscription a Checkout Session in subscription mode started: one item (the session's priced
 * line, in its quantity, on the product its {@code product_data} made), billed every month or year
 * from its anchor, the moment it started. Its periods are counted from the anchor, as Stripe's
 * billing cycle anchor keeps them: started on 31 January, it renews on 28 (or 29) February, then on
 * 31 March. The item's price and quantity change with a seat change ({@link Subscriptions#update});
 * each change's {@code price_data} makes a new price, as on Stripe. Its customer (one per
 * subscription here) has a balance, the credit a change down leaves for later invoices, and a card
 * that pays or is declined ({@link #cardDeclines(boolean)}, the stand-in's own switch). Its JSON is
 * Stripe's since the 2025-03 API, the current period on the item.
 */
final class Subscription {

    /** How long Stripe keeps a pending update before it lapses (and voids its invoice). */
    static final long PENDING_UPDATE_SECONDS = 23 * 60 * 60;

    /** A price of the item: its id and what one unit costs a period. */
    record Price(String id, long unitAmount) {
    }

    /**
     * A change that waits for its invoice to be paid ({@code payment_behavior=pending_if_incomplete}
     * after a declined card): the price and quantity it would give the item, until {@code expiresAt}.
     */
    record PendingUpdate(Price price, long quantity, String invoiceId, long expiresAt) {
    }

    final String id;
    final String customer;
    final String customerEmail;
    final long created;
    final String currency;
    /** {@code prod_<reference>}: what Checkout's {@code product_data} made, the product of every price of the item. */
    final String product;
    final String productName;
    /** {@code month} or {@code year}. */
    final String interval;
    final Map<String, String> metadata;
    /** Where its invoices' hosted pages are: this stand-in's address. */
    final String baseUrl;
    private final OffsetDateTime anchor;
    private final String reference;

    private String status = "active";
    /** How many periods have begun: the first is number 0. */
    private int period;
    private Price price;
    private long quantity;
    /** How many changes were asked: the number of the next one's price and invoice. */
    private int changes;
    /** The customer's balance in minor units, Stripe's sign: negative is credit, taken off the next invoices. */
    private long balance;
    private boolean cardDeclines;
    private PendingUpdate pendingUpdate;
    /** Prorations of changes made with {@code create_prorations}: lines of the next renewal's invoice. */
    private final List<Invoice.Line> pendingProrations = new ArrayList<>();
    private boolean cancelAtPeriodEnd;
    private Long canceledAt;
    private Long endedAt;
    private String latestInvoice;

    Subscription(String id, String customer, String customerEmail, CheckoutSession session, long now) {
        this.id = id;
        this.reference = id.substring("sub_".length());
        this.customer = customer;
        this.customerEmail = customerEmail;
        this.created = now;
        this.currency = session.currency;
        this.product = "prod_" + reference;
        this.price = new Price("price_" + reference, session.unitAmount);
        this.quantity = session.quantity;
        this.productName = session.productName;
        this.interval = session.interval;
        this.metadata = session.subscriptionMetadata;
        this.baseUrl = session.baseUrl;
        this.anchor = Instant.ofEpochSecond(now).atOffset(ZoneOffset.UTC);
    }

    /** Its one item's id. */
    String itemId() {
        return "si_" + reference;
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

    /**
     * The subscription's time, given the clock's: the clock's, or the start of its current period
     * while the test clock ({@link Subscriptions#nextPeriod}) has moved it ahead of the clock, as a
     * Stripe test clock stays frozen where it was advanced to.
     */
    synchronized long now(long clock) {
        return Math.max(clock, periodStart(period));
    }

    synchronized String status() {
        return status;
    }

    synchronized boolean cancelAtPeriodEnd() {
        return cancelAtPeriodEnd;
    }

    synchronized Price price() {
        return price;
    }

    synchronized long quantity() {
        return quantity;
    }

    /** How Stripe describes the item on an invoice line, in this quantity: {@code 1 × Quote q-1}. */
    String describe(long quantity) {
        return quantity + " × " + productName;
    }

    /** The line of an invoice for period {@code n} at the item's price and quantity now. */
    synchronized Invoice.Line periodLine(int n) {
        return new Invoice.Line(describe(quantity), price.unitAmount() * quantity, price, quantity, periodStart(n), periodStart(n + 1),
                false);
    }

    /** The number of the change asked now, counted from 1: its price's and its invoice's ({@code _u<n>}). */
    synchronized int nextChange() {
        return ++changes;
    }

    /** The price a change's {@code price_data} makes. */
    Price newPrice(int change, long unitAmount) {
        return new Price("price_" + reference + "_u" + change, unitAmount);
    }

    /** The item's price and quantity from now on; a pending update, if any, is settled with it. */
    synchronized void change(Price price, long quantity) {
        this.price = price;
        this.quantity = quantity;
        pendingUpdate = null;
    }

    synchronized long balance() {
        return balance;
    }

    synchronized void balance(long balance) {
        this.balance = balance;
    }

    synchronized boolean cardDeclines() {
        return cardDeclines;
    }

    /** What the customer's card does from now on when charged without a renewal's own outcome: declined, or paid. */
    synchronized void cardDeclines(boolean declines) {
        cardDeclines = declines;
    }

    synchronized PendingUpdate pendingUpdate() {
        return pendingUpdate;
    }

    synchronized void pendingUpdate(PendingUpdate update) {
        pendingUpdate = update;
    }

    synchronized void addProrations(List<Invoice.Line> lines) {
        pendingProrations.addAll(lines);
    }

    /** The prorations the next invoice carries, taken from the subscription. */
    synchronized List<Invoice.Line> takeProrations() {
        List<Invoice.Line> taken = List.copyOf(pendingProrations);
        pendingProrations.clear();
        return taken;
    }

    synchronized void invoiced(String invoiceId) {
        latestInvoice = invoiceId;
    }

    /** The next period begins; the subscription is past due until its invoice is paid. */
    synchronized void renew(boolean paid) {
        period++;
        status = paid ? "active" : "past_due";
    }

    /** A change's invoice was not paid, the change made all the same ({@code allow_incomplete}): past due until it is. */
    synchronized void pastDue() {
        status = "past_due";
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
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("object", "list");
        items.put("data", List.of(itemJson(price, quantity)));
        items.put("has_more", false);
        items.put("url", "/v1/subscription_items?subscription=" + id);
        Map<String, Object> pending = null;
        if (pendingUpdate != null) {
            pending = new LinkedHashMap<>();
            pending.put("billing_cycle_anchor", null);
            pending.put("expires_at", pendingUpdate.expiresAt());
            pending.put("subscription_items", List.of(itemJson(pendingUpdate.price(), pendingUpdate.quantity())));
            pending.put("trial_end", null);
            pending.put("trial_from_plan", null);
        }
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
        json.put("pending_update", pending);
        json.put("start_date", created);
        json.put("status", status);
        return json;
    }

    /** Its item at this price and quantity, in the current period. */
    private Map<String, Object> itemJson(Price price, long quantity) {
        Map<String, Object> recurring = new LinkedHashMap<>();
        recurring.put("interval", interval);
        recurring.put("interval_count", 1);
        Map<String, Object> priceJson = new LinkedHashMap<>();
        priceJson.put("id", price.id());
        priceJson.put("object", "price");
        priceJson.put("currency", currency);
        priceJson.put("product", product);
        priceJson.put("recurring", recurring);
        priceJson.put("type", "recurring");
        priceJson.put("unit_amount", price.unitAmount());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", itemId());
        item.put("object", "subscription_item");
        item.put("current_period_end", periodStart(period + 1));
        item.put("current_period_start", periodStart(period));
        item.put("price", priceJson);
        item.put("quantity", quantity);
        item.put("subscription", id);
        return item;
    }
}
