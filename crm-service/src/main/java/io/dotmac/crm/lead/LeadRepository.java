package io.dotmac.crm.lead;

import io.dotmac.common.rest.Page;
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

/** Leads, always within one tenant: another tenant's lead is not found. */
@ApplicationScoped
@WithSession
public class LeadRepository implements PanacheRepositoryBase<Lead, UUID> {

    private static final List<LeadStatus> HOLDING_SLUG = List.of(LeadStatus.QUALIFIED, LeadStatus.CONVERTED);

    /** The tenant's lead, or null. */
    public Uni<Lead> findOf(String tenantId, UUID id) {
        return find("id = :id and tenantId = :tenant", Parameters.with("id", id).and("tenant", tenantId)).firstResult();
    }

    /** The tenant's lead locked for this transaction (FOR UPDATE), or null. */
    public Uni<Lead> lockOf(String tenantId, UUID id) {
        return find("id = :id and tenantId = :tenant", Parameters.with("id", id).and("tenant", tenantId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The tenant's lead with this reference of its source (a shop cart's id), or null. */
    public Uni<Lead> findBySourceRef(String tenantId, String sourceRef) {
        return find("tenantId = :tenant and sourceRef = :ref", Parameters.with("tenant", tenantId).and("ref", sourceRef)).firstResult();
    }

    /** The tenant's lead with this reference of its source (a shop cart's id), locked for this transaction, or null. */
    public Uni<Lead> lockBySourceRef(String tenantId, String sourceRef) {
        return find("tenantId = :tenant and sourceRef = :ref", Parameters.with("tenant", tenantId).and("ref", sourceRef))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Takes a lock on the tenant's source reference until this transaction ends (an advisory lock,
     * nothing is written): two requests with one cart take turns, so the later one finds the lead the
     * first one made instead of failing on the unique index.
     */
    public Uni<Void> lockSourceRef(String tenantId, String sourceRef) {
        return advisoryLock("crm.lead.source-ref/" + tenantId + "/" + sourceRef);
    }

    /** The tenant's leads, newest first, of one status or all (null). */
    public Uni<Page<Lead>> listOf(String tenantId, LeadStatus status, PageRequest page) {
        Sort newestFirst = Sort.descending("createdAt", "id");
        var query = status == null
                ? find("tenantId = ?1", newestFirst, tenantId)
                : find("tenantId = ?1 and status = ?2", newestFirst, tenantId, status);
        return page.fetch(query);
    }

    /**
     * Takes a lock on the tenant's slug until this transaction ends (an advisory lock, nothing is
     * written): qualifications of leads with one slug take turns, so the later one sees the slug
     * held and is disqualified with that reason.
     */
    public Uni<Void> lockSlug(String tenantId, String slug) {
        return advisoryLock("crm.lead.slug/" + tenantId + "/" + slug);
    }

    private Uni<Void> advisoryLock(String name) {
        return getSession().chain(session -> session.createNativeQuery(
                        "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS locked", Long.class)
                .setParameter(1, name).getSingleResult()).replaceWithVoid();
    }

    /** Whether a lead of the tenant other than this one holds the slug (is qualified or converted with it). */
    public Uni<Boolean> slugHeldByAnother(String tenantId, String slug, UUID exceptId) {
        return count("tenantId = ?1 and organizationSlug = ?2 and status in ?3 and id <> ?4",
                tenantId, slug, HOLDING_SLUG, exceptId).map(n -> n > 0);
    }
}
