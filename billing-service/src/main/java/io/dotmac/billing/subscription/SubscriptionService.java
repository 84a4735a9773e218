package io.dotmac.billing.subscription;

import io.dotmac.billing.stripe.StripeInvoice;
import io.dotmac.billing.stripe.StripeSubscription;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.common.metrics.Funnel.Stage;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Subscriptions and their invoices as Stripe reports them, and the events that say what changed.
 *
 * <p>Stripe may deliver its events late and out of order, and more than once (the caller
 * de-duplicates by event id). So every report locks its subscription first (reports of one
 * subscription are applied one at a time), a report older than the one applied last changes
 * nothing, an ended subscription stays ended, and an invoice once paid stays paid: its
 * {@code billing.invoice.paid} is published once.
 * A report names its tenant and quote through the metadata billing gave the subscription; the first
 * report of a subscription fixes them, and a later one naming another tenant is not applied.
 */
@ApplicationScoped
public class SubscriptionService {

    private static final Logger LOG = Logger.getLogger(SubscriptionService.class);
    /** Stripe's billing_reason of an invoice that renews a subscription for its next period. */
    private static final String RENEWAL = "subscription_cycle";
    /** Stripe's billing_reason of a subscription's first invoice. */
    private static final String FIRST_INVOICE = "subscription_create";
    /** The report time of a subscription recorded before any report of its own: any of its reports is newer. */
    private static final OffsetDateTime NO_REPORT = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /** What a report did: the subscription it concerned (null: none of ours), and whether it changed anything. */
    public record Applied(Subscription subscription, boolean changed) {
    }

    private final SubscriptionRepository subscriptions;
    private final SubscriptionInvoiceRepository invoices;
    private final SubscriptionChangeRepository changes;
    private final OutboxEventRepository outbox;
    private final Funnel funnel;

    SubscriptionService(SubscriptionRepository subscriptions, SubscriptionInvoiceRepository invoices,
                        SubscriptionChangeRepository changes, OutboxEventRepository outbox, Funnel funnel) {
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.changes = changes;
        this.outbox = outbox;
        this.funnel = funnel;
    }

    /** A subscription's own report (created, updated, deleted). */
    @WithTransaction
    public Uni<Applied> record(StripeSubscription reported) {
        if (reported.id() == null || reported.status() == null) {
            throw new InvalidRequest("A Stripe subscription without an id or a status");
        }
        return subscriptionOf(reported.id(), reported.tenantId(), reported.quoteId(), reported.customerId()).chain(subscription -> {
            // An ended subscription stays ended: a report made in the same second may be delivered after it.
            boolean ended = subscription != null && subscription.ended() && !subscription.reportedAt.isEqual(NO_REPORT);
            if (subscription == null || ended || reported.reportedAt().isBefore(subscription.reportedAt)) {
                return Uni.createFrom().item(new Applied(subscription, false));
            }
            boolean ends = Subscription.CANCELED.equals(reported.status()) && !Subscription.CANCELED.equals(subscription.status);
            subscription.status = reported.status();
            subscription.cancelAtPeriodEnd = reported.cancelAtPeriodEnd();
            if (reported.periodStart() != null) {
                subscription.currentPeriodStart = reported.periodStart();
                subscription.currentPeriodEnd = reported.periodEnd();
            }
            subscription.canceledAt = reported.canceledAt();
            subscription.stripeCustomerId = reported.customerId() != null ? reported.customerId() : subscription.stripeCustomerId;
            subscription.reportedAt = reported.reportedAt();
            subscription.updatedAt = now();
            if (ends) {
                LOG.infof("subscription %s (%s) of quote %s has ended", subscription.id, subscription.stripeSubscriptionId,
                        subscription.quoteId);
                return outbox.persist(SubscriptionEvents.cancelled(subscription, reported.endedAt()))
                        .invoke(() -> funnel.reached(Stage.CHURNED)).replaceWith(new Applied(subscription, true));
            }
            return Uni.createFrom().item(new Applied(subscription, true));
        });
    }

    /**
     * An invoice's report: {@code failedAttempt} when Stripe reports a payment attempt that failed
     * ({@code invoice.payment_failed}), which is published once per report.
     */
    @WithTransaction
    public Uni<Applied> record(StripeInvoice reported, boolean failedAttempt) {
        if (reported.subscriptionId() == null) {
            return Uni.createFrom().item(new Applied(null, false));
        }
        if (reported.id() == null || reported.status() == null || reported.periodStart() == null || reported.periodEnd() == null
                || reported.currency() == null) {
            throw new InvalidRequest("Stripe invoice " + reported.id() + " has no id, status, period or currency");
        }
        return subscriptionOf(reported.subscriptionId(), reported.tenantId(), reported.quoteId(), reported.customerId())
                .chain(subscription -> {
                    if (subscription == null) {
                        return Uni.createFrom().item(new Applied(null, false));
                    }
                    return invoices.lockByStripeId(reported.id()).chain(found -> apply(subscription, found, reported, failedAttempt));
                });
    }

    private Uni<Applied> apply(Subscription subscription, SubscriptionInvoice found, StripeInvoice reported, boolean failedAttempt) {
        SubscriptionInvoice invoice = found != null ? found : newInvoice(subscription, reported);
        boolean wasPaid = found != null && found.paid();
        // Void is final too (Stripe takes no payment of it): a failed attempt's report delivered after it must not re-open it.
        boolean wasVoid = found != null && SubscriptionInvoice.VOID.equals(found.status);
        // The funnel counts an invoice past due once, at the first failed attempt recorded for it.
        boolean failedBefore = found != null && found.attemptCount > 0;
        boolean stale = found != null && reported.reportedAt().isBefore(found.reportedAt);
        // Paid is where an invoice ends: a report of it is applied even if an older one came last.
        boolean paidNow = !wasPaid && !wasVoid && SubscriptionInvoice.PAID.equals(reported.status());
        // An older failure delivered after a newer one was published in its time.
        boolean newestFailure = failedAttempt && !wasVoid && reported.attemptCount() >= (found == null ? 0 : found.attemptCount);
        if (found != null && (paidNow || !stale && !wasPaid && !wasVoid)) {
            invoice.status = reported.status();
            invoice.amountDue = reported.amountDue();
            invoice.amountPaid = reported.amountPaid();
            invoice.hostedInvoiceUrl = reported.hostedInvoiceUrl() != null ? reported.hostedInvoiceUrl() : invoice.hostedInvoiceUrl;
            invoice.attemptCount = Math.max(invoice.attemptCount, reported.attemptCount());
            invoice.reportedAt = stale ? invoice.reportedAt : reported.reportedAt();
        }
        if (paidNow) {
            invoice.status = SubscriptionInvoice.PAID;
            invoice.paidAt = reported.paidAt() != null ? reported.paidAt() : reported.reportedAt();
        }
        invoice.updatedAt = now();
        if (subscription.reportedAt.isEqual(NO_REPORT) && (paidNow || newestFailure && !invoice.paid())) {
            // Until the subscription's own report arrives (and, however old, is applied over this),
            // its status is what the latest news of its invoices implies.
            subscription.status = paidNow ? "active" : FIRST_INVOICE.equals(invoice.billingReason) ? "incomplete" : "past_due";
        }
        Uni<?> stored = found == null ? invoices.persist(invoice) : Uni.createFrom().item(invoice);
        // A seat change held on this invoice (its card declined) is applied by Stripe once it is paid, dropped once voided.
        boolean voidNow = !wasVoid && SubscriptionInvoice.VOID.equals(invoice.status);
        if (paidNow || voidNow) {
            stored = stored.call(() -> changes.settle(invoice.stripeInvoiceId,
                    paidNow ? SubscriptionChange.APPLIED : SubscriptionChange.EXPIRED, now()));
        }
        return stored.chain(() -> {
            if (paidNow) {
                LOG.infof("invoice %s of subscription %s paid %s %s for %s to %s", invoice.stripeInvoiceId,
                        subscription.stripeSubscriptionId, invoice.amountPaid, invoice.currency, invoice.periodStart, invoice.periodEnd);
                return outbox.persist(SubscriptionEvents.invoicePaid(subscription, invoice)).invoke(() -> {
                    if (RENEWAL.equals(invoice.billingReason)) {
                        funnel.reached(Stage.RENEWED);
                    }
                });
            }
            if (newestFailure && !invoice.paid()) {
                LOG.infof("invoice %s of subscription %s: a payment attempt failed (attempt %d)", invoice.stripeInvoiceId,
                        subscription.stripeSubscriptionId, invoice.attemptCount);
                return outbox.persist(SubscriptionEvents.invoicePaymentFailed(subscription, invoice)).invoke(() -> {
                    // A seat change's declined proration leaves the subscription as it was: not past due.
                    if (!failedBefore && RENEWAL.equals(invoice.billingReason)) {
                        funnel.reached(Stage.PAST_DUE);
                    }
                });
            }
            return Uni.createFrom().voidItem();
        }).replaceWith(new Applied(subscription, paidNow || !stale));
    }

    private static SubscriptionInvoice newInvoice(Subscription subscription, StripeInvoice reported) {
        SubscriptionInvoice invoice = new SubscriptionInvoice();
        invoice.id = UUID.randomUUID();
        invoice.tenantId = subscription.tenantId;
        invoice.subscriptionId = subscription.id;
        invoice.stripeInvoiceId = reported.id();
        invoice.status = reported.status();
        invoice.amountDue = reported.amountDue();
        invoice.amountPaid = reported.amountPaid();
        invoice.currency = reported.currency();
        invoice.periodStart = reported.periodStart();
        invoice.periodEnd = reported.periodEnd();
        invoice.hostedInvoiceUrl = reported.hostedInvoiceUrl();
        invoice.billingReason = reported.billingReason();
        invoice.attemptCount = reported.attemptCount();
        invoice.reportedAt = reported.reportedAt();
        invoice.createdAt = now();
        return invoice;
    }

    /**
     * The subscription of this Stripe id, locked, recorded first if new (with no report of its own
     * yet); null when it is none of ours (no tenant or quote in the metadata) or the report names
     * another tenant than the record.
     */
    private Uni<Subscription> subscriptionOf(String stripeId, String tenantId, String quoteId, String customerId) {
        return subscriptions.lockByStripeId(stripeId).chain(found -> {
            if (found != null || tenantId == null || quoteId == null) {
                return Uni.createFrom().item(found);
            }
            return subscriptions.insertIfAbsent(stripeId, tenantId, quoteId, customerId, "incomplete", NO_REPORT)
                    .chain(() -> subscriptions.lockByStripeId(stripeId));
        }).map(subscription -> {
            if (subscription == null) {
                LOG.infof("Stripe subscription %s carries no tenant_id and quote_id of ours: ignored", stripeId);
                return null;
            }
            if (tenantId != null && !tenantId.equals(subscription.tenantId)) {
                LOG.warnf("Stripe subscription %s is tenant %s's, but a report names tenant %s: not applied", stripeId,
                        subscription.tenantId, tenantId);
                return null;
            }
            return subscription;
        });
    }

    /** The subscription of this Stripe id, locked until the transaction ends, if it is recorded. */
    public Uni<Subscription> lock(String stripeSubscriptionId) {
        return stripeSubscriptionId == null ? Uni.createFrom().nullItem() : subscriptions.lockByStripeId(stripeSubscriptionId);
    }

    public Uni<Subscription> get(String tenantId, String id) {
        UUID uuid = parse(id);
        return (uuid == null ? Uni.createFrom().<Subscription>nullItem() : subscriptions.findForTenant(tenantId, uuid))
                .onItem().ifNull().failWith(() -> new NotFound("Subscription " + id + " not found"));
    }

    /** The tenant's invoice with its subscription (404 if unknown or another tenant's). */
    public Uni<InvoiceOf> invoice(String tenantId, String id) {
        UUID uuid = parse(id);
        return (uuid == null ? Uni.createFrom().<SubscriptionInvoice>nullItem() : invoices.findForTenant(tenantId, uuid))
                .onItem().ifNull().failWith(() -> new NotFound("Invoice " + id + " not found"))
                .chain(invoice -> subscriptions.findForTenant(tenantId, invoice.subscriptionId)
                        .onItem().ifNull().failWith(() -> new NotFound("Invoice " + id + " not found"))
                        .map(subscription -> new InvoiceOf(subscription, invoice)));
    }

    /** An invoice and the subscription it bills. */
    public record InvoiceOf(Subscription subscription, SubscriptionInvoice invoice) {
    }

    public Uni<List<SubscriptionInvoice>> invoicesOf(Subscription subscription) {
        return invoices.ofSubscription(subscription.id);
    }

    public Uni<Page<Subscription>> list(String tenantId, String quoteId, PageRequest request) {
        return subscriptions.page(tenantId, quoteId == null || quoteId.isBlank() ? null : quoteId.trim(), request);
    }

    private static UUID parse(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
