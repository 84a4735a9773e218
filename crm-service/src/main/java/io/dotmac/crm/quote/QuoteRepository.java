package io.dotmac.crm.quote;

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

/** Quotes, always within one tenant: another tenant's quote is not found. */
@ApplicationScoped
@WithSession
public class QuoteRepository implements PanacheRepositoryBase<Quote, UUID> {

    /** The tenant's quote, or null. */
    public Uni<Quote> findOf(String tenantId, UUID id) {
        return find("id = :id and tenantId = :tenant", Parameters.with("id", id).and("tenant", tenantId)).firstResult();
    }

    /** The tenant's quote locked for this transaction (FOR UPDATE), or null: concurrent transitions take turns. */
    public Uni<Quote> lockOf(String tenantId, UUID id) {
        return find("id = :id and tenantId = :tenant", Parameters.with("id", id).and("tenant", tenantId))
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** A lead's quotes, newest first. */
    public Uni<Page<Quote>> listOfLead(String tenantId, UUID leadId, PageRequest page) {
        return page.fetch(find("tenantId = ?1 and leadId = ?2", Sort.descending("createdAt", "id"), tenantId, leadId));
    }

    /** The next quote number, Q-000001 onwards: from a sequence, so unique however many generate at once. */
    /** Whether the lead has another quote still open (draft or sent): its slug is still needed. */
    public Uni<Boolean> otherOpenQuote(String tenantId, UUID leadId, UUID quoteId) {
        return count("tenantId = ?1 and leadId = ?2 and id <> ?3 and status in ?4", tenantId, leadId, quoteId,
                List.of(QuoteStatus.DRAFT, QuoteStatus.SENT)).map(open -> open > 0);
    }

    public Uni<String> nextQuoteNumber() {
        return getSession().chain(session -> session.createNativeQuery("SELECT nextval('quote_number_seq')", Long.class)
                .getSingleResult()).map(n -> String.format("Q-%06d", n));
    }
}
