package io.dotmac.sales.order;

import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

/** Orders of one API tenant at a time: every query names the tenant. */
@ApplicationScoped
@WithSession
public class OrderRepository implements PanacheRepositoryBase<Order, UUID> {

    public Uni<Order> findOwned(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    /** The order, locked until the end of the transaction: one change at a time per order. */
    public Uni<Order> lockOwned(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Order> findByQuote(String tenantId, String quoteId) {
        return find("tenantId = ?1 and quoteId = ?2", tenantId, quoteId).firstResult();
    }

    /** The quote's order, locked like {@link #lockOwned}. */
    public Uni<Order> lockByQuote(String tenantId, String quoteId) {
        return find("tenantId = ?1 and quoteId = ?2", tenantId, quoteId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Order> findByExternalId(String tenantId, String externalOrderId) {
        return find("tenantId = ?1 and externalOrderId = ?2", tenantId, externalOrderId).firstResult();
    }

    /**
     * Holds off, until this transaction ends, any other transaction making an order from the same
     * quote: the second one then finds the first one's order instead of calling crm-service again.
     */
    public Uni<Void> lockQuote(String tenantId, String quoteId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked", Integer.class)
                .setParameter(1, "sales.order-from-quote:" + tenantId + ":" + quoteId)
                .getSingleResult())
                .replaceWithVoid();
    }

    /** Newest first, of those the filter lets through. */
    public Uni<List<Order>> page(String tenantId, OrderFilter filter, PageRequest page) {
        Where where = where(tenantId, filter);
        return find(where.query(), Sort.descending("createdAt").and("id"), where.parameters()).page(page.toPanache()).list();
    }

    public Uni<Long> countOf(String tenantId, OrderFilter filter) {
        Where where = where(tenantId, filter);
        return count(where.query(), where.parameters());
    }

    private record Where(String query, Parameters parameters) {
    }

    private static Where where(String tenantId, OrderFilter filter) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters parameters = Parameters.with("tenant", tenantId);
        if (filter.status() != null) {
            query.append(" and status = :status");
            parameters.and("status", filter.status());
        }
        if (filter.organizationSlug() != null) {
            query.append(" and organizationSlug = :slug");
            parameters.and("slug", filter.organizationSlug());
        }
        return new Where(query.toString(), parameters);
    }
}
