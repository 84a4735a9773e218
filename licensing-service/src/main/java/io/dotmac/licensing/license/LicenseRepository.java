package io.dotmac.licensing.license;

import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Licenses and their sets; every read but verification's is scoped by tenant. */
@ApplicationScoped
@WithSession
public class LicenseRepository implements PanacheRepositoryBase<License, UUID> {

    /**
     * Claims the set of (tenant, customer, source): true if this transaction created it. A concurrent
     * transaction that claimed it first makes this one wait, then answers false once that one
     * committed (its licenses are then visible), or true if it rolled back.
     */
    public Uni<Boolean> claimSet(String tenantId, String customerId, String sourceId, BillingCycle cycle) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO license_sets (tenant_id, customer_id, source_id, billing_cycle)
                        VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, tenantId).setParameter(2, customerId).setParameter(3, sourceId)
                .setParameter(4, cycle.code()).executeUpdate())
                .map(inserted -> inserted == 1);
    }

    public Uni<List<License>> findSet(String tenantId, String customerId, String sourceId) {
        return list("tenantId = ?1 and customerId = ?2 and sourceId = ?3", Sort.by("productCode"),
                tenantId, customerId, sourceId);
    }

    /**
     * Claims the renewal of the source's set by the invoice: true for the first claim; a concurrent
     * second waits for the first's transaction and then finds it taken.
     */
    public Uni<Boolean> claimRenewal(String tenantId, String invoiceId, String sourceId, Instant periodEnd) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO license_renewals (tenant_id, invoice_id, source_id, period_end)
                        VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, tenantId).setParameter(2, invoiceId).setParameter(3, sourceId).setParameter(4, periodEnd)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /**
     * The sequence of the latest seat change applied to the source (as licensing spells it), 0 before
     * any; read with the source's licenses locked, so that it is still the latest when the next is recorded.
     */
    public Uni<Integer> latestChange(String tenantId, String sourceId) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT coalesce(max(sequence), 0) FROM license_changes WHERE tenant_id = ?1 AND source_id = ?2", Integer.class)
                .setParameter(1, tenantId).setParameter(2, sourceId).getSingleResult());
    }

    /** Records the seat change of the quote {@code changeId} as the latest applied to the source. */
    public Uni<Void> recordChange(String tenantId, String changeId, String sourceId, int sequence) {
        return getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO license_changes (tenant_id, change_id, source_id, sequence)
                        VALUES (?1, ?2, ?3, ?4)""")
                .setParameter(1, tenantId).setParameter(2, changeId).setParameter(3, sourceId).setParameter(4, sequence)
                .executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Every license of this tenant bought with {@code sourceId}, whatever its customer or status,
     * locked (SELECT ... FOR UPDATE) until the transaction ends: of two concurrent revocations of one
     * source the second waits and then reads the first one's revoked rows, so each license is revoked
     * once. Their holds are read after the lock, by a query of their own, so that the second sees the
     * holds the first put on or lifted (one query reading both would see them as it began, before the wait).
     * The set's row is locked first, and the licenses read once it is held: a license a concurrent seat
     * change added is then among them (a query that waited on the licenses' rows alone would not see a
     * row inserted meanwhile, and a hold put on the source would miss it).
     * A quote id is a UUID, so any spelling of it matches the one issuing stored (crm-service's).
     * The fixed order makes concurrent callers lock the rows in the same order, never each other's first.
     */
    public Uni<List<License>> lockSource(String tenantId, String sourceId) {
        return getSession().chain(session -> session.createNativeQuery("""
                        SELECT customer_id FROM license_sets WHERE tenant_id = ?1 AND lower(source_id) = lower(?2)
                        ORDER BY customer_id FOR UPDATE""", String.class)
                .setParameter(1, tenantId).setParameter(2, sourceId).getResultList())
                .chain(() -> find("tenantId = ?1 and lower(sourceId) = lower(?2)", Sort.by("customerId").and("productCode").and("id"),
                        tenantId, sourceId).withLock(LockModeType.PESSIMISTIC_WRITE).list());
    }

    public Uni<Void> persistAll(List<License> licenses) {
        return persist(licenses).chain(this::flush);
    }

    /** This tenant's license, or null (another tenant's is as unknown as none). */
    public Uni<License> findOwned(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    /** This tenant's license locked like {@link #lockSource}, or null. */
    public Uni<License> lockOwned(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Any tenant's license: verification is public and a key names no tenant. */
    public Uni<License> findForVerification(UUID id) {
        return findById(id);
    }

    /** Newest first; of one customer when {@code customerId} is given. */
    public Uni<Page<License>> page(String tenantId, String customerId, PageRequest request) {
        Sort order = Sort.by("issuedAt", Sort.Direction.Descending).and("productCode").and("id");
        PanacheQuery<License> query = customerId == null
                ? find("tenantId = :tenant", order, Parameters.with("tenant", tenantId))
                : find("tenantId = :tenant and customerId = :customer", order,
                        Parameters.with("tenant", tenantId).and("customer", customerId));
        return request.fetch(query);
    }
}
