package io.dotmac.billing.subscription;

import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * A subscription set to end at its period's end, or to renew again before then, at the tenant's
 * request (the API) or the customer's (a signed link, {@link CancelLinks}): Stripe is asked, and its
 * answer is recorded as a report of the subscription ({@link SubscriptionService#record}), as its
 * webhook would be, which then changes nothing.
 *
 * <p>No lock is held while Stripe is asked, so that Stripe's webhooks are never kept waiting on
 * the row: the change is idempotent at Stripe, and its answer is applied like any report, under the
 * row's lock and in the order of report times. So concurrent requests, and the webhooks they cause,
 * leave the row as Stripe's latest word. An answer counts as reported when the request was sent,
 * or at the time of the report the row held then if that is later (clocks apart): newer than
 * whatever the row said before it, and no newer than its own webhook, which Stripe makes after it.
 */
@ApplicationScoped
public class SubscriptionCancellation {

    private static final Logger LOG = Logger.getLogger(SubscriptionCancellation.class);

    private final SubscriptionService subscriptions;
    private final StripeGateway stripe;
    private final CancelLinks links;

    SubscriptionCancellation(SubscriptionService subscriptions, StripeGateway stripe, CancelLinks links) {
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.links = links;
    }

    /**
     * Sets the tenant's subscription to end at its period's end ({@code cancel}) or to renew again,
     * unless it is so already (then Stripe is not asked): the subscription as recorded then. 404 if
     * unknown or another tenant's, 409 if it has ended. {@code by} and {@code reason} (may be null)
     * are logged.
     */
    public Uni<Subscription> cancelAtPeriodEnd(String tenantId, String id, boolean cancel, String by, String reason) {
        return subscriptions.get(tenantId, id).chain(found -> {
            refuseEnded(found);
            if (found.cancelAtPeriodEnd == cancel) {
                return Uni.createFrom().item(found);
            }
            OffsetDateTime sent = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
            OffsetDateTime asOf = found.reportedAt.isAfter(sent) ? found.reportedAt : sent;
            return stripe.cancelAtPeriodEnd(found.stripeSubscriptionId, cancel, asOf).chain(subscriptions::record).map(applied -> {
                Subscription recorded = applied.subscription();
                if (recorded == null) {
                    // Its metadata at Stripe names another tenant than the row (logged by record).
                    throw new UpstreamFailed("Stripe names another tenant for subscription " + found.stripeSubscriptionId
                            + " than billing's record; Stripe's answer was not recorded");
                }
                refuseEnded(recorded);
                LOG.infof("subscription %s (%s) of quote %s set to %s by %s%s", recorded.id, recorded.stripeSubscriptionId,
                        recorded.quoteId, cancel ? "end on " + recorded.currentPeriodEnd : "renew", by,
                        reason == null ? "" : ": " + reason);
                return recorded;
            });
        });
    }

    /** A link for the customer to cancel the tenant's subscription themselves: 404 if unknown or another tenant's, 409 if ended. */
    public Uni<CancelLinks.Issued> link(String tenantId, String id) {
        return subscriptions.get(tenantId, id).map(found -> {
            refuseEnded(found);
            return links.issue(tenantId, found.id);
        });
    }

    private static void refuseEnded(Subscription subscription) {
        if (subscription.ended()) {
            throw new Conflict("Subscription " + subscription.id + " has ended (" + subscription.status
                    + "): there is nothing to cancel or resume");
        }
    }
}
