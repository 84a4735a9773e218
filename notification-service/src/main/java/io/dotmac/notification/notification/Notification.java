package io.dotmac.notification.notification;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One email and the record of its delivery. It is written before the first send attempt, so that
 * every attempt (the API's, the background retrier's, another replica's) works from the same row
 * and the same Message-ID. Its kind says which of the kind-specific columns it has: the welcome
 * email's tenant platform, the payment request's quote and checkout page, the journey-failed
 * email's quote and what became of its payment, the receipt's quote and paid invoice, or the
 * dunning email's quote, unpaid invoice and stage.
 */
@Entity
@Table(name = "notifications")
public class Notification extends PanacheEntityBase {

    public static final String WELCOME_EMAIL = "welcome_email";
    public static final String PAYMENT_REQUEST = "payment_request";
    public static final String JOURNEY_FAILED = "journey_failed";
    public static final String RECEIPT = "receipt";
    public static final String PAYMENT_FAILED = "payment_failed";
    public static final String SHOP_REMINDER = "shop_reminder";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String kind;

    public String recipient;

    @Column(name = "customer_name")
    public String customerName;

    @Column(name = "tenant_subdomain")
    public String tenantSubdomain;

    @Column(name = "tenant_url")
    public String tenantUrl;

    @Column(name = "quote_id")
    public String quoteId;

    /** The Stripe Checkout page the customer pays on. */
    @Column(name = "payment_url")
    public String paymentUrl;

    public BigDecimal amount;

    public String currency;

    /** When the checkout page closes. */
    @Column(name = "payment_expires_at")
    public OffsetDateTime paymentExpiresAt;

    /** The payment's status when the journey-failed email was recorded: refunded or failed. */
    @Column(name = "payment_status")
    public String paymentStatus;

    /** Why that payment failed, as billing-service said it (Stripe's message, say); null if it did not say. */
    @Column(name = "failure_message")
    public String failureMessage;

    /** The invoice (billing-service's id) of a receipt or dunning email, and its page on Stripe. */
    @Column(name = "invoice_id")
    public String invoiceId;

    @Column(name = "invoice_url")
    public String invoiceUrl;

    /** The period that invoice is for. */
    @Column(name = "period_start")
    public OffsetDateTime periodStart;

    @Column(name = "period_end")
    public OffsetDateTime periodEnd;

    /** A receipt's link to cancel the subscription at its period's end (never shown by the API: it cancels). */
    @Column(name = "cancel_url")
    public String cancelUrl;

    /** How far dunning had come when its email was recorded: failed, reminder or suspended. */
    @Column(name = "dunning_stage")
    public String dunningStage;

    /** A shop reminder's link back to the checkout's order page at the shop. */
    @Column(name = "order_url")
    public String orderUrl;

    public String subject;

    public NotificationStatus status;

    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "message_id")
    public String messageId;

    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    @Column(name = "locked_until")
    public OffsetDateTime lockedUntil;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;
}
