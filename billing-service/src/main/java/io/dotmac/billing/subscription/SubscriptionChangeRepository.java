package io.dotmac.billing.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Seat changes, within one tenant, except for the webhook's settling of one by its invoice. */
@ApplicationScoped
@WithSession
public class SubscriptionChangeRepository implements PanacheRepositoryBase<SubscriptionChange, UUID> {

    public Uni<SubscriptionChange> findOf(String tenantId, String quoteId) {
        return find("tenantId = ?1 and lower(quoteId) = lower(?2)", tenantId, quoteId).firstResult();
    }

    public Uni<SubscriptionChange> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The change of the subscription being made at Stripe or awaiting its payment, if any. */
    public Uni<SubscriptionChange> unsettledOf(UUID subscriptionId) {
        return find("subscriptionId = ?1 and status in (?2, ?3) order by sequence", subscriptionId, SubscriptionChange.PENDING,
                SubscriptionChange.AWAITING_PAYMENT).firstResult();
    }

    /** Changes left pending since before {@code before} (their answer lost, their journey's retries spent), oldest first. */
    public Uni<List<UUID>> stalePending(OffsetDateTime before, int limit) {
        return find("status = ?1 and updatedAt < ?2 order by updatedAt", SubscriptionChange.PENDING, before)
                .range(0, limit - 1).list().map(found -> found.stream().map(change -> change.id).toList());
    }

    /** The sequence number the subscription's next change takes (its row locked by the caller). */
    public Uni<Integer> nextSequence(UUID subscriptionId) {
        return getSession().chain(session -> session.createQuery(
                        "select coalesce(max(c.sequence), 0) + 1 from SubscriptionChange c where c.subscriptionId = ?1", Integer.class)
                .setParameter(1, subscriptionId).getSingleResult());
    }

    /**
     * Settles the change that waits on this invoice: applied when it was paid (Stripe applies a
     * pending update then), expired when voided (the pending update expired). The count settled.
     */
    public Uni<Integer> settle(String stripeInvoiceId, String status, OffsetDateTime now) {
        return update("status = ?1, updatedAt = ?2 where stripeInvoiceId = ?3 and status = ?4", status, now, stripeInvoiceId,
                SubscriptionChange.AWAITING_PAYMENT);
    }
}
