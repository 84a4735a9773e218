package io.dotmac.billing.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An invoice of a subscription, as Stripe's webhooks last reported it: what it asks, what was paid, for which period. */
@Entity
@Table(name = "subscription_invoices")
public class SubscriptionInvoice extends PanacheEntityBase {

    public static final String PAID = "paid";
    /** Voided: nothing is owed, and Stripe takes no payment of it. */
    public static final String VOID = "void";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "subscription_id")
    public UUID subscriptionId;

    @Column(name = "stripe_invoice_id")
    public String stripeInvoiceId;

    /** Stripe's status (draft, open, paid, uncollectible, void). */
    public String status;

    /** In the currency's major unit. */
    @Column(name = "amount_due")
    public BigDecimal amountDue;

    @Column(name = "amount_paid")
    public BigDecimal amountPaid;

    /** ISO 4217, upper case. */
    public String currency;

    @Column(name = "period_start")
    public OffsetDateTime periodStart;

    @Column(name = "period_end")
    public OffsetDateTime periodEnd;

    /** Where the customer sees and pays the invoice on Stripe. */
    @Column(name = "hosted_invoice_url")
    public String hostedInvoiceUrl;

    /** Why Stripe made it: subscription_create, subscription_cycle, subscription_update, ... */
    @Column(name = "billing_reason")
    public String billingReason;

    @Column(name = "attempt_count")
    public int attemptCount;

    @Column(name = "paid_at")
    public OffsetDateTime paidAt;

    @Column(name = "reported_at")
    public OffsetDateTime reportedAt;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public boolean paid() {
        return PAID.equals(status);
    }
}
