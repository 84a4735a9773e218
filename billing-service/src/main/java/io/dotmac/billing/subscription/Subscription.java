package io.dotmac.billing.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * A customer's subscription on Stripe Billing, for the quote it was opened for: what Stripe's
 * webhooks last said about it. Stripe owns it; billing keeps the figures its journeys need.
 */
@Entity
@Table(name = "subscriptions")
public class Subscription extends PanacheEntityBase {

    public static final String CANCELED = "canceled";
    /** Where a subscription ends: Stripe moves it no further. */
    private static final Set<String> ENDED = Set.of(CANCELED, "incomplete_expired");

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "quote_id")
    public String quoteId;

    @Column(name = "stripe_subscription_id")
    public String stripeSubscriptionId;

    @Column(name = "stripe_customer_id")
    public String stripeCustomerId;

    /** Stripe's status (active, past_due, canceled, ...). */
    public String status;

    @Column(name = "cancel_at_period_end")
    public boolean cancelAtPeriodEnd;

    @Column(name = "current_period_start")
    public OffsetDateTime currentPeriodStart;

    @Column(name = "current_period_end")
    public OffsetDateTime currentPeriodEnd;

    @Column(name = "canceled_at")
    public OffsetDateTime canceledAt;

    /** When Stripe made the latest report applied here (its event's time). */
    @Column(name = "reported_at")
    public OffsetDateTime reportedAt;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** Whether it has ended, as last reported: Stripe charges nothing more for it and changes it no more. */
    public boolean ended() {
        return ENDED.contains(status);
    }
}
