package io.dotmac.billing.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/**
 * Subscriptions' invoices. The webhook looks one up by Stripe's id, which carries no tenant, only
 * once it holds the lock of the invoice's subscription, whose row says whose it is.
 */
@ApplicationScoped
@WithSession
public class SubscriptionInvoiceRepository implements PanacheRepositoryBase<SubscriptionInvoice, UUID> {

    /** The invoice of this Stripe id, locked until the transaction ends; null if not recorded yet. */
    public Uni<SubscriptionInvoice> lockByStripeId(String stripeInvoiceId) {
        return find("stripeInvoiceId", stripeInvoiceId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<SubscriptionInvoice> findForTenant(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResult();
    }

    /** The subscription's invoices, the latest period first. */
    public Uni<List<SubscriptionInvoice>> ofSubscription(UUID subscriptionId) {
        return find("subscriptionId", Sort.descending("periodStart").and("createdAt", Sort.Direction.Descending), subscriptionId)
                .list();
    }
}
