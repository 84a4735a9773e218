package io.dotmac.billing.subscription;

import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Subscriptions, always within one tenant, except for the webhook's look-up by Stripe's id, which
 * carries no token: there the row (or the metadata that made it) says whose it is.
 */
@ApplicationScoped
@WithSession
public class SubscriptionRepository implements PanacheRepositoryBase<Subscription, UUID> {

    /**
     * Inserts the subscription unless one has this Stripe id already (a concurrent insert waits for
     * the other to commit and inserts nothing).
     */
    public Uni<Integer> insertIfAbsent(String stripeSubscriptionId, String tenantId, String quoteId, String customerId,
                                       String status, OffsetDateTime reportedAt) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO subscriptions (id, tenant_id, quote_id, stripe_subscription_id, stripe_customer_id, status,
                                                   reported_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                        ON CONFLICT (stripe_subscription_id) DO NOTHING""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, tenantId).setParameter(3, quoteId)
                .setParameter(4, stripeSubscriptionId).setParameter(5, customerId).setParameter(6, status)
                .setParameter(7, reportedAt)
                .executeUpdate());
    }

    /** Webhook: the subscription of this Stripe id, of whichever tenant, locked until the transaction ends. */
    public Uni<Subscription> lockByStripeId(String stripeSubscriptionId) {
        return find("stripeSubscriptionId", stripeSubscriptionId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * The tenant's subscription that the quote started, locked until the transaction ends: the
     * newest that has not ended (a refund's ended one may sit beside it), else the newest.
     */
    public Uni<Subscription> lockOfQuote(String tenantId, String quoteId) {
        return find("tenantId = ?1 and quoteId = ?2 order by case when status in ('canceled', 'incomplete_expired') then 1 else 0 end, "
                + "createdAt desc, id", tenantId, quoteId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Subscription> findForTenant(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }

    /** The tenant's subscriptions, newest first; only the quote's when {@code quoteId} is not null. */
    public Uni<Page<Subscription>> page(String tenantId, String quoteId, PageRequest request) {
        Sort newestFirst = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        return request.fetch(quoteId == null ? find("tenantId", newestFirst, tenantId)
                : find("tenantId = ?1 and quoteId = ?2", newestFirst, tenantId, quoteId));
    }
}
