package io.dotmac.billing.payment;

import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Payments, always within one tenant, except the two look-ups of the Stripe webhook, which carries
 * no token: there the payment row says whose it is.
 */
@ApplicationScoped
@WithSession
public class PaymentRepository implements PanacheRepositoryBase<Payment, UUID> {

    /**
     * Inserts a pending payment unless the tenant has one for the quote already (then a concurrent
     * insert waits for the other to commit and inserts nothing). Emits how many rows it inserted.
     */
    public Uni<Integer> insertIfAbsent(UUID id, String tenantId, String quoteId, BigDecimal amount, String currency,
                                       String customerEmail, String billingInterval, String stripeIdempotencyKey,
                                       OffsetDateTime checkoutExpiresAt) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO payments (id, tenant_id, quote_id, amount, currency, customer_email, status, stripe_idempotency_key,
                                              checkout_expires_at, billing_interval)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9)
                        ON CONFLICT (tenant_id, quote_id) DO NOTHING""")
                .setParameter(1, id).setParameter(2, tenantId).setParameter(3, quoteId).setParameter(4, amount)
                .setParameter(5, currency).setParameter(6, customerEmail).setParameter(7, stripeIdempotencyKey)
                .setParameter(8, checkoutExpiresAt).setParameter(9, billingInterval)
                .executeUpdate());
    }

    /**
     * How many invoices of the subscription after its first billing has recorded paid with money:
     * renewals the payment's refund would not give back.
     */
    public Uni<Long> paidRenewals(String stripeSubscriptionId) {
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT count(*) FROM subscription_invoices i JOIN subscriptions s ON s.id = i.subscription_id
                        WHERE s.stripe_subscription_id = ?1 AND i.status = 'paid' AND i.amount_paid > 0
                          AND i.billing_reason IS DISTINCT FROM 'subscription_create'""", Long.class)
                .setParameter(1, stripeSubscriptionId)
                .getSingleResult());
    }

    public Uni<Payment> findForTenant(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }

    public Uni<Payment> findByQuote(String tenantId, String quoteId) {
        return find("tenantId = ?1 and quoteId = ?2", tenantId, quoteId).firstResult();
    }

    /** The payment, locked until the transaction ends: one request at a time may call Stripe for it. */
    public Uni<Payment> lockForTenant(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Webhook: the payment of a PaymentIntent, of whichever tenant, locked. */
    public Uni<Payment> lockByPaymentIntent(String paymentIntentId) {
        return find("stripePaymentIntentId", paymentIntentId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Webhook: the payment of a Checkout Session, of whichever tenant, locked. */
    public Uni<Payment> lockByCheckoutSession(String checkoutSessionId) {
        return find("checkoutSessionId", checkoutSessionId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Webhook: the payment a PaymentIntent's metadata names, of whichever tenant, locked. */
    public Uni<Payment> lockById(UUID id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Reconciliation: the ids of pending payments, of any tenant, with no news since {@code before}
     * (see {@link Payment#lastNews()}), oldest first.
     */
    public Uni<List<UUID>> stalePending(OffsetDateTime before, int limit) {
        return find("status = ?1 and updatedAt < ?2 and (reconciledAt is null or reconciledAt < ?2)"
                        + " order by coalesce(reconciledAt, updatedAt)", PaymentStatus.PENDING, before)
                .range(0, limit - 1).list().map(found -> found.stream().map(payment -> payment.id).toList());
    }

    /** The tenant's payments, newest first. */
    public Uni<Page<Payment>> page(String tenantId, PageRequest request) {
        return request.fetch(find("tenantId", Sort.descending("createdAt").and("id", Sort.Direction.Descending), tenantId));
    }
}
