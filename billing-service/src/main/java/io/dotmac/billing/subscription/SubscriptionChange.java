package io.dotmac.billing.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A seat change of a subscription, made for a quote of kind change: its new price per period, and
 * what Stripe made of it. Its status moves pending (claimed, Stripe being asked) → applied (the
 * proration's invoice paid, the subscription re-priced) or awaiting_payment (the card declined:
 * Stripe holds the change on the open invoice) → applied once that invoice is paid, or expired once
 * Stripe voids it (its pending update expired). Only an applied change gives seats.
 */
@Entity
@Table(name = "subscription_changes")
public class SubscriptionChange extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String AWAITING_PAYMENT = "awaiting_payment";
    public static final String APPLIED = "applied";
    public static final String EXPIRED = "expired";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    /** The change quote, as crm-service spells its id. */
    @Column(name = "quote_id")
    public String quoteId;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    /** The quote that started the subscription, as billing recorded it. */
    @Column(name = "subscription_quote_id")
    public String subscriptionQuoteId;

    @Column(name = "stripe_subscription_id")
    public String stripeSubscriptionId;

    /** 1, 2, ...: the order in which the subscription's changes were made at Stripe. */
    public int sequence;

    public String status;

    /** The subscription's new price per period: the change quote's total. */
    public BigDecimal amount;

    public String currency;

    /** The proration's invoice total: the charge for the rest of the period less the credit for its unused part (may be negative). */
    @Column(name = "prorated_amount")
    public BigDecimal proratedAmount;

    @Column(name = "credited_amount")
    public BigDecimal creditedAmount;

    @Column(name = "charged_amount")
    public BigDecimal chargedAmount;

    @Column(name = "stripe_invoice_id")
    public String stripeInvoiceId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
