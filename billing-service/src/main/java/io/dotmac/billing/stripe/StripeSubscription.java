package io.dotmac.billing.stripe;

import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A subscription as a Stripe event reports it, in this service's terms. Since Stripe's 2025-03
 * API the current period is the items', not the subscription's own; billing's subscriptions have
 * one billing cycle for all their items, so the first item's is the subscription's.
 *
 * @param tenantId the metadata's, as billing set it when it opened the subscription; null if none
 * @param reportedAt when Stripe made the report (its event's {@code created})
 */
public record StripeSubscription(String id, String customerId, String tenantId, String quoteId, String status,
                                 boolean cancelAtPeriodEnd, OffsetDateTime periodStart, OffsetDateTime periodEnd,
                                 OffsetDateTime canceledAt, OffsetDateTime endedAt, OffsetDateTime reportedAt) {

    public static StripeSubscription of(Subscription subscription, long eventCreated) {
        Map<String, String> metadata = subscription.getMetadata() == null ? Map.of() : subscription.getMetadata();
        SubscriptionItem item = subscription.getItems() == null || subscription.getItems().getData() == null
                || subscription.getItems().getData().isEmpty() ? null : subscription.getItems().getData().get(0);
        return new StripeSubscription(subscription.getId(), subscription.getCustomer(), metadata.get("tenant_id"),
                metadata.get("quote_id"), subscription.getStatus(), Boolean.TRUE.equals(subscription.getCancelAtPeriodEnd()),
                time(item == null ? null : item.getCurrentPeriodStart()), time(item == null ? null : item.getCurrentPeriodEnd()),
                time(subscription.getCanceledAt()), time(subscription.getEndedAt()), time(eventCreated));
    }

    /** Stripe's Unix seconds, in UTC; null stays null. */
    static OffsetDateTime time(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC);
    }
}
