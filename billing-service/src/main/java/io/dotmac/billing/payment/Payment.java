package io.dotmac.billing.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A payment for a quote, taken through Stripe: one per quote and tenant. */
@Entity
@Table(name = "payments")
public class Payment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "quote_id")
    public String quoteId;

    /** In the currency's major unit, two decimals; Stripe gets it in minor units ({@link Money}). */
    public BigDecimal amount;

    /** ISO 4217, upper case. */
    public String currency;

    @Column(name = "customer_email")
    public String customerEmail;

    public PaymentStatus status;

    @Column(name = "stripe_customer_id")
    public String stripeCustomerId;

    @Column(name = "stripe_payment_intent_id")
    public String stripePaymentIntentId;

    @Column(name = "stripe_idempotency_key")
    public String stripeIdempotencyKey;

    @Column(name = "failure_message")
    public String failureMessage;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "succeeded_at")
    public OffsetDateTime succeededAt;

    /** The Checkout Session the customer pays on (Stripe's hosted page), when payments are taken that way. */
    @Column(name = "checkout_session_id")
    public String checkoutSessionId;

    @Column(name = "checkout_url")
    public String checkoutUrl;

    @Column(name = "checkout_expires_at")
    public OffsetDateTime checkoutExpiresAt;

    /** The refund billing asked Stripe for ({@code re_...}); null for a refund made in Stripe's dashboard. */
    @Column(name = "stripe_refund_id")
    public String stripeRefundId;

    /** When billing recorded the payment refunded, through its own refund or Stripe's webhook. */
    @Column(name = "refunded_at")
    public OffsetDateTime refundedAt;

    /** Why it was refunded, as the caller of the refund said (optional; never sent to Stripe). */
    @Column(name = "refund_reason")
    public String refundReason;

    /**
     * {@code month} or {@code year} for a quote billed so: the customer pays the first invoice of a
     * subscription; null for a one-off payment.
     */
    @Column(name = "billing_interval")
    public String billingInterval;

    /** The subscription the payment started, and its first invoice, which it paid (recurring payments). */
    @Column(name = "stripe_subscription_id")
    public String stripeSubscriptionId;

    @Column(name = "stripe_invoice_id")
    public String stripeInvoiceId;

    /** When the reconciliation job last asked Stripe about it while it stayed pending. */
    @Column(name = "reconciled_at")
    public OffsetDateTime reconciledAt;

    /**
     * True while Stripe has not answered for this payment: no PaymentIntent or Checkout Session is
     * known and nothing was decided. Only then may a request call Stripe for it (again, with the same keys).
     */
    public boolean awaitsStripe() {
        return status == PaymentStatus.PENDING && stripePaymentIntentId == null && checkoutSessionId == null;
    }

    /** The last time anything was learnt about it: a change, or Stripe asked and saying nothing new. */
    public OffsetDateTime lastNews() {
        return reconciledAt != null && reconciledAt.isAfter(updatedAt) ? reconciledAt : updatedAt;
    }
}
