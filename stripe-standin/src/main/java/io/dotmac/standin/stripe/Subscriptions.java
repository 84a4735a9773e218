package io.dotmac.standin.stripe;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
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
 *   <li>a later attempt on an open invoice (its hosted page, {@link #attempt}): {@code invoice.paid}
 *       and the subscription active again, or one more {@code invoice.payment_failed};</li>
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

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Invoice> invoices = new ConcurrentHashMap<>();
    private final Webhooks webhooks;

    Subscriptions(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    Subscription find(String id) {
        return subscriptions.get(id);
    }

    Invoice invoice(String id) {
        return invoices.get(id);
    }

    /** The subscription's invoices, the latest first. */
    List<Invoice> invoicesOf(Subscription subscription) {
        return invoices.values().stream().filter(invoice -> invoice.subscription == subscription)
                .sorted(Comparator.comparingInt((Invoice invoice) -> invoice.period).reversed()).toList();
    }

    /**
     * Starts the subscription the paid session sold ({@code sub_<the session's reference>}, its
     * customer {@code cus_...}) and pays its first invoice; completes once both webhooks were tried.
     */
    CompletableFuture<Boolean> start(CheckoutSession session) {
        String reference = session.id.substring(CheckoutSessions.PREFIX.length());
        long now = now();
        Subscription subscription = new Subscription("sub_" + reference, "cus_" + reference, session.customerEmail, session, now);
        Invoice first = new Invoice("in_" + reference + "_0", subscription, 0, now);
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
     * if it was to cancel then, else renewed with a new invoice that the card pays or, when
     * {@code declined}, fails to pay.
     */
    CompletableFuture<Boolean> nextPeriod(Subscription subscription, boolean declined) {
        synchronized (subscription) {
            if ("canceled".equals(subscription.status())) {
                throw new Ended(subscription.id);
            }
            long periodEnd = subscription.periodStart(subscription.period() + 1);
            if (subscription.cancelAtPeriodEnd()) {
                subscription.end(periodEnd);
                LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0} ended with its period", subscription.id);
                return webhooks.send("customer.subscription.deleted", subscription.json());
            }
            subscription.renew(!declined);
            Invoice invoice = new Invoice("in_" + subscription.id.substring(4) + "_" + subscription.period(), subscription,
                    subscription.period(), now());
            invoice.attempt(!declined, now());
            subscription.invoiced(invoice.id);
            invoices.put(invoice.id, invoice);
            LOG.log(System.Logger.Level.INFO, "Stripe stand-in: subscription {0} renewed, invoice {1} {2}", subscription.id,
                    invoice.id, declined ? "declined" : "paid");
            webhooks.send("customer.subscription.updated", subscription.json());
            return webhooks.send(declined ? "invoice.payment_failed" : "invoice.paid", invoice.json());
        }
    }

    /** The customer tries to pay an open invoice again: paid (the subscription active again) or declined once more. */
    CompletableFuture<Boolean> attempt(Invoice invoice, boolean declined) {
        Subscription subscription = invoice.subscription;
        synchronized (subscription) {
            if (!"open".equals(invoice.status())) {
                return CompletableFuture.completedFuture(false);
            }
            if (declined) {
                invoice.attempt(false, now());
                return webhooks.send("invoice.payment_failed", invoice.json());
            }
            invoice.attempt(true, now());
            String before = subscription.status();
            subscription.paid();
            CompletableFuture<Boolean> paid = webhooks.send("invoice.paid", invoice.json());
            return before.equals(subscription.status()) ? paid : webhooks.send("customer.subscription.updated", subscription.json());
        }
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
