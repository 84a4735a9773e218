package io.dotmac.billing.webhook;

import com.stripe.model.Event;
import com.stripe.model.Invoice;
import io.dotmac.billing.stripe.StripeInvoice;
import io.dotmac.billing.stripe.StripeSubscription;
import io.dotmac.billing.subscription.Subscription;
import io.dotmac.billing.subscription.SubscriptionService;
import io.dotmac.billing.subscription.SubscriptionService.Applied;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Stripe Billing's events, verified by {@link StripeWebhooks}: {@code invoice.paid},
 * {@code invoice.payment_failed}, {@code invoice.voided}, {@code invoice.marked_uncollectible},
 * {@code customer.subscription.created}, {@code .updated} and
 * {@code .deleted}, each applied to its subscription once per event id, in the transaction that
 * records the event id, under the subscription's lock (so two deliveries of one event at once
 * apply it once). An event of an API version before 2025-03-31 is refused (400, so Stripe
 * retries and its dashboard shows the failures): its invoices name no subscription where these
 * are read, and its subscriptions' items no period; the endpoint's version must be raised.
 */
@ApplicationScoped
class SubscriptionWebhooks {

    private static final Logger LOG = Logger.getLogger(SubscriptionWebhooks.class);
    /** The first API version whose invoices and subscription items carry what is read here. */
    static final String OLDEST_API_VERSION = "2025-03-31";
    /** An invoice voided or written off is recorded so: dunning stops asking for it, and nobody is suspended for it. */
    static final Set<String> TYPES = Set.of("invoice.paid", "invoice.payment_failed", "invoice.voided", "invoice.marked_uncollectible",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted");

    private final SubscriptionService subscriptions;
    private final ProcessedWebhookEventRepository processed;

    SubscriptionWebhooks(SubscriptionService subscriptions, ProcessedWebhookEventRepository processed) {
        this.subscriptions = subscriptions;
        this.processed = processed;
    }

    Uni<WebhookAck> handle(Event event) {
        String version = event.getApiVersion();
        if (version == null || version.compareTo(OLDEST_API_VERSION) < 0) {
            throw new InvalidRequest("Stripe event " + event.getId() + " is of API version " + version + "; billing reads "
                    + event.getType() + " from " + OLDEST_API_VERSION + " on: raise the webhook endpoint's API version");
        }
        long created = event.getCreated() == null ? 0 : event.getCreated();
        // Read before the transaction: an unreadable object is a 400, not a rolled-back transaction.
        StripeInvoice invoice = event.getType().startsWith("invoice.")
                ? StripeInvoice.of(StripeWebhooks.object(event, Invoice.class), created) : null;
        StripeSubscription subscription = invoice == null
                ? StripeSubscription.of(StripeWebhooks.object(event, com.stripe.model.Subscription.class), created) : null;
        String stripeSubscription = invoice != null ? invoice.subscriptionId() : subscription.id();
        return Panache.withTransaction(() -> subscriptions.lock(stripeSubscription)
                .chain(() -> processed.findById(event.getId()))
                .chain(seen -> seen != null ? Uni.createFrom().item(duplicate(event)) : apply(event, invoice, subscription)));
    }

    private Uni<WebhookAck> apply(Event event, StripeInvoice invoice, StripeSubscription subscription) {
        Uni<Applied> applied = invoice != null
                ? subscriptions.record(invoice, "invoice.payment_failed".equals(event.getType()))
                : subscriptions.record(subscription);
        return applied.chain(result -> {
            if (result.subscription() == null) {
                return Uni.createFrom().item(ack(event, "ignored", null));
            }
            Subscription recorded = result.subscription();
            return processed.persist(ProcessedWebhookEvent.ofSubscription(event.getId(), event.getType(), recorded.tenantId,
                    recorded.id)).replaceWith(ack(event, result.changed() ? "applied" : "outdated", recorded));
        });
    }

    private static WebhookAck duplicate(Event event) {
        LOG.infof("Stripe event %s (%s) was applied before: nothing changes", event.getId(), event.getType());
        return ack(event, "duplicate", null);
    }

    private static WebhookAck ack(Event event, String outcome, Subscription subscription) {
        return new WebhookAck(true, event.getId(), event.getType(), outcome, null, null,
                subscription == null ? null : subscription.id, subscription == null ? null : subscription.status);
    }
}
