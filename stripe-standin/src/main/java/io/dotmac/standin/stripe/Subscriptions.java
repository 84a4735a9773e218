package io.dotmac.standin.stripe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions that Checkout Sessions in subscription mode started on this stand-in, and
 * their invoices, in memory, with the webhooks Stripe Billing sends as they move:
 * <ul>
 *   <li>started (the session paid): {@code customer.subscription.created}, then {@code invoice.paid}
 *       for its first invoice;</li>
 *   <li>its next period, when a test's clock says so ({@link #nextPeriod}; Stripe's test clocks
 *       advance time, this moves one subscription at once): {@code customer.subscription.updated}
 *       (the new period; {@code past_due} if the card is declined), then {@code invoice.paid} or
 *       {@code invoice.payment_failed}; or, set to cancel at the period's end,
 *       {@code customer.subscription.deleted};</li>
 *   <li>its item's price or quantity changed ({@link #update}), prorated as Stripe prorates;</li>
 *   <li>a later attempt on an open invoice (its hosted page, {@link #attempt}): {@code invoice.paid}
 *       and the subscription active again (or its pending update applied), or one more
 *       {@code invoice.payment_failed};</li>
 *   <li>a pending update lapsed ({@link #sweep}, or the test clock passing its expiry):
 *       {@code invoice.voided}, {@code customer.subscription.updated},
 *       {@code customer.subscription.pending_update_expired};</li>
 *   <li>set to cancel at the period's end or not ({@link #cancelAtPeriodEnd}):
 *       {@code customer.subscription.updated}; cancelled now ({@link #cancel}):
 *       {@code customer.subscription.deleted}.</li>
 * </ul>
 */
final class Subscriptions {

    /** Stripe's refusal of a change to a subscription that has ended. */
    static final class Ended extends RuntimeException {

        Ended(String id) {
            super("The subscription " + id + " is canceled; a canceled subscription cannot be changed.");
        }
    }

    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());
    /** How Stripe dates a proration's description: "… after 14 Feb 2027". */
    private static final DateTimeFormatter PRORATION_DATE = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Invoice> invoices = new ConcurrentHashMap<>();
    private final Webhooks webhooks;

    Subscriptions(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /** The subscription as it is now (its pending update lapsed if its time has come), or null if none has this id. */
    Subscription find(String id) {
        Subscription subscription = subscriptions.get(id);
        return subscription == null ? null : settled(subscription);
    }

    /** The invoice as it is now (void if the pending update it was for lapsed), or null if none has this id. */
    Invoice invoice(String id) {
        Invoice invoice = invoices.get(id);
        if (invoice != null) {
            settled(invoice.subscription);
        }
        return invoice;
    }

    /** Whether this stand-in made the product: a subscription's ({@code prod_<reference>}). */
    boolean productExists(String product) {
        return product.startsWith("prod_") && subscriptions.containsKey("sub_" + product.substring("prod_".length()));
    }

    /** Lapses every pending update whose time has come (and sends its webhooks). */
    void sweep() {
        subscriptions.values().forEach(this::settled);
    }

    private Subscription settled(Subscription subscription) {
        synchronized (subscription) {
            lapse(subscription, subscription.now(now()));
        }
        return subscription;
    }

    /**
     * Starts the subscription the paid session sold ({@code sub_<the session's reference>}, its
     * customer {@code cus_...}) and pays its first invoice; completes once both webhooks were tried.
     */
    CompletableFuture<Boolean> start(CheckoutSession session) {
        String reference = session.id.substring(CheckoutSessions.PREFIX.length());
        long now = now();
        Subscription subscription = new Subscription("sub_" + reference, "cus_" + reference, session.customerEmail, session, now);
        Invoice first = new Invoice("in_" + reference + "_0", subscription, 0, "subscription_create", now,
                List.of(subscription.periodLine(0)), 0);
        first.attempt(true, now);
        subscription.invoiced(first.id);
        invoices.put(first.id, first);
        subscriptions.put(subscription.id, subscription);
        session.started(subscription, first);
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: Checkout Session {0} started subscription {1}", session.id, subscription.id);
        webhooks.send("customer.subscription.created", subscription.json());
        return webhooks.send("invoice.paid", first.json());
    }

    /**
     * The subscription's next period begins, as a test clock reaching its end would make it: ended
     * if it was to cancel then, else renewed with a new invoice (the new period at the item's price,
     * and the prorations left for it, less the customer's credit) that the card pays or, when
     * {@code declined} (null: as the card does, {@link Subscription#cardDeclines}), fails to pay.
     * A pending update lapses on the way.
     */
    CompletableFuture<Boolean> nextPeriod(Subscription subscription, Boolean declined) {
        synchronized (subscription) {
            if ("canceled".equals(subscription.status())) {
                throw new Ended(subscription.id);
            }
            long periodEnd = subscription.periodStart(subscription.period() + 1);
            lapse(subscription, periodEnd);
            if (subscription.cancelAtPeriodEnd()) {
                subscription.end(periodEnd);
                LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0} ended with its period", subscription.id);
                return webhooks.send("customer.subscription.deleted", subscription.json());
            }
            int next = subscription.period() + 1;
            List<Invoice.Line> lines = new ArrayList<>();
            lines.add(subscription.periodLine(next));
            lines.addAll(subscription.takeProrations());
            Invoice invoice = new Invoice("in_" + subscription.id.substring(4) + "_" + next, subscription, next, "subscription_cycle",
                    now(), lines, subscription.balance());
            subscription.balance(invoice.endingBalance);
            boolean paid = invoice.attempt(!(declined == null ? subscription.cardDeclines() : declined), now());
            subscription.renew(paid);
            subscription.invoiced(invoice.id);
            invoices.put(invoice.id, invoice);
            LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0} renewed, invoice {1} {2}", subscription.id,
                    invoice.id, paid ? "paid" : "declined");
            webhooks.send("customer.subscription.updated", subscription.json());
            return webhooks.send(paid ? "invoice.paid" : "invoice.payment_failed", invoice.json());
        }
    }

    /**
     * Changes the item's price or quantity as Stripe does, prorated to the second from now (or the
     * change's {@code proration_date}) to the period's end: a credit for the unused time at the old
     * price, a charge for the remaining time at the new one.
     * <ul>
     *   <li>{@code none}: changed, nothing prorated: {@code customer.subscription.updated};</li>
     *   <li>{@code create_prorations}: changed, the prorations left for the next renewal's invoice:
     *       {@code customer.subscription.updated};</li>
     *   <li>{@code always_invoice}: an invoice of the prorations ({@code subscription_update}, less
     *       the customer's credit) at once. Nothing due (a change down: its credit goes to the
     *       customer's balance, for the next invoices): paid, changed. Else charged to the card:
     *       <ul>
     *         <li>paid: changed; {@code customer.subscription.updated}, {@code invoice.paid};</li>
     *         <li>declined with {@code pending_if_incomplete}: {@code invoice.payment_failed}, not
     *             changed; the subscription shows the change as its {@code pending_update} for 23
     *             hours, and its invoice stays open meanwhile, payable on its page (which makes the
     *             change). Then the update lapses and the invoice is voided, as Stripe voids it
     *             ({@link #lapse}), not at once;</li>
     *         <li>declined with {@code allow_incomplete}: changed all the same, past due until the
     *             invoice is paid; {@code customer.subscription.updated}, {@code invoice.payment_failed}.</li>
     *       </ul></li>
     * </ul>
     * {@link Ended} if the subscription has; {@link SubscriptionUpdate.Refused} with a pending update
     * still open or a {@code proration_date} outside the current period.
     */
    CompletableFuture<Boolean> update(Subscription subscription, SubscriptionUpdate change) {
        synchronized (subscription) {
            long now = subscription.now(now());
            lapse(subscription, now);
            if ("canceled".equals(subscription.status())) {
                throw new Ended(subscription.id);
            }
            Subscription.PendingUpdate pending = subscription.pendingUpdate();
            if (pending != null) {
                throw new SubscriptionUpdate.Refused(null, "items", "The subscription " + subscription.id
                        + " has a pending update until " + pending.expiresAt() + ": pay its invoice " + pending.invoiceId()
                        + " or let it lapse before another change.");
            }
            long start = subscription.periodStart(subscription.period());
            long end = subscription.periodStart(subscription.period() + 1);
            long at = change.prorationDate() == null ? now : change.prorationDate();
            if (change.prorationDate() != null && (at < start || at >= end)) {
                throw new SubscriptionUpdate.Refused("parameter_invalid", "proration_date", "proration_date must fall within the"
                        + " subscription's current period, from " + start + " to before " + end + ".");
            }
            if (change.unitAmount() == null && (change.quantity() == null || change.quantity() == subscription.quantity())) {
                // Nothing changes: Stripe prorates nothing, invoices nothing and sends nothing.
                return CompletableFuture.completedFuture(false);
            }
            int number = subscription.nextChange();
            Subscription.Price oldPrice = subscription.price();
            long oldQuantity = subscription.quantity();
            Subscription.Price price = change.unitAmount() == null ? oldPrice : subscription.newPrice(number, change.unitAmount());
            long quantity = change.quantity() == null ? oldQuantity : change.quantity();
            String after = " after " + PRORATION_DATE.format(Instant.ofEpochSecond(at));
            List<Invoice.Line> prorations = List.of(
                    new Invoice.Line("Unused time on " + subscription.describe(oldQuantity) + after,
                            -Proration.remaining(oldPrice.unitAmount() * oldQuantity, at, start, end), oldPrice, oldQuantity, at, end, true),
                    new Invoice.Line("Remaining time on " + subscription.describe(quantity) + after,
                            Proration.remaining(price.unitAmount() * quantity, at, start, end), price, quantity, at, end, true));
            return switch (change.prorationBehavior()) {
                case NONE -> changed(subscription, price, quantity);
                case CREATE_PRORATIONS -> {
                    subscription.addProrations(prorations);
                    yield changed(subscription, price, quantity);
                }
                case ALWAYS_INVOICE -> invoiced(subscription, change.paymentBehavior(), number, price, quantity, prorations, now);
            };
        }
    }

    private CompletableFuture<Boolean> changed(Subscription subscription, Subscription.Price price, long quantity) {
        subscription.change(price, quantity);
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0} changed to {1} × {2} ({3})", subscription.id,
                Long.toString(quantity), Long.toString(price.unitAmount()), price.id());
        return webhooks.send("customer.subscription.updated", subscription.json());
    }

    /** {@code always_invoice}: the prorations invoiced and charged at once; the change made as the payment and {@code behavior} say. */
    private CompletableFuture<Boolean> invoiced(Subscription subscription, SubscriptionUpdate.PaymentBehavior behavior, int number,
                                                Subscription.Price price, long quantity, List<Invoice.Line> prorations, long now) {
        Invoice invoice = new Invoice("in_" + subscription.id.substring(4) + "_u" + number, subscription, subscription.period(),
                "subscription_update", now, prorations, subscription.balance());
        subscription.balance(invoice.endingBalance);
        subscription.invoiced(invoice.id);
        invoices.put(invoice.id, invoice);
        if (invoice.attempt(!subscription.cardDeclines(), now)) {
            changed(subscription, price, quantity);
            return webhooks.send("invoice.paid", invoice.json());
        }
        if (behavior == SubscriptionUpdate.PaymentBehavior.PENDING_IF_INCOMPLETE) {
            subscription.pendingUpdate(new Subscription.PendingUpdate(price, quantity, invoice.id,
                    now + Subscription.PENDING_UPDATE_SECONDS));
            LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0}: the change waits for invoice {1}, declined",
                    subscription.id, invoice.id);
        } else {
            subscription.change(price, quantity);
            subscription.pastDue();
            webhooks.send("customer.subscription.updated", subscription.json());
        }
        return webhooks.send("invoice.payment_failed", invoice.json());
    }

    /**
     * A pending update whose time has come by {@code now} lapses: its invoice voided, the
     * subscription as it was (Stripe's way after 23 hours unpaid).
     */
    private void lapse(Subscription subscription, long now) {
        Subscription.PendingUpdate pending = subscription.pendingUpdate();
        if (pending == null || now < pending.expiresAt()) {
            return;
        }
        subscription.pendingUpdate(null);
        Invoice invoice = invoices.get(pending.invoiceId());
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0}: the pending update lapsed, invoice {1} voided",
                subscription.id, invoice.id);
        if (invoice.voided(now)) {
            webhooks.send("invoice.voided", invoice.json());
        }
        webhooks.send("customer.subscription.updated", subscription.json());
        webhooks.send("customer.subscription.pending_update_expired", subscription.json());
    }

    /**
     * The customer tries to pay an open invoice again: paid (the subscription active again, or the
     * change it waited for made) or declined once more.
     */
    CompletableFuture<Boolean> attempt(Invoice invoice, boolean declined) {
        Subscription subscription = invoice.subscription;
        synchronized (subscription) {
            settled(subscription);
            if (!"open".equals(invoice.status())) {
                return CompletableFuture.completedFuture(false);
            }
            if (declined) {
                invoice.attempt(false, now());
                return webhooks.send("invoice.payment_failed", invoice.json());
            }
            invoice.attempt(true, now());
            Subscription.PendingUpdate pending = subscription.pendingUpdate();
            if (pending != null && pending.invoiceId().equals(invoice.id)) {
                webhooks.send("invoice.paid", invoice.json());
                changed(subscription, pending.price(), pending.quantity());
                return webhooks.send("customer.subscription.pending_update_applied", subscription.json());
            }
            String before = subscription.status();
            subscription.paid();
            CompletableFuture<Boolean> paid = webhooks.send("invoice.paid", invoice.json());
            return before.equals(subscription.status()) ? paid : webhooks.send("customer.subscription.updated", subscription.json());
        }
    }

    /** Sets what the customer's card does from now on when charged: declines, or pays. */
    void card(Subscription subscription, boolean declines) {
        subscription.cardDeclines(declines);
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: the card of subscription {0} {1} from now on", subscription.id,
                declines ? "declines" : "pays");
    }

    /** {@code cancel_at_period_end} set or unset. */
    CompletableFuture<Boolean> cancelAtPeriodEnd(Subscription subscription, boolean cancel) {
        synchronized (subscription) {
            if ("canceled".equals(subscription.status())) {
                throw new Ended(subscription.id);
            }
            if (subscription.cancelAtPeriodEnd() == cancel) {
                return CompletableFuture.completedFuture(false);
            }
            subscription.cancelAtPeriodEnd(cancel, now());
            return webhooks.send("customer.subscription.updated", subscription.json());
        }
    }

    /** Cancelled at once. */
    CompletableFuture<Boolean> cancel(Subscription subscription) {
        synchronized (subscription) {
            if ("canceled".equals(subscription.status())) {
                throw new Ended(subscription.id);
            }
            subscription.end(now());
            LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0} cancelled", subscription.id);
            return webhooks.send("customer.subscription.deleted", subscription.json());
        }
    }
}
