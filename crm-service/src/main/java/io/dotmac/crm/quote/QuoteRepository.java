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
import java.time.LocalDate;
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

    /** The lead's accepted quote of kind new (the one that made it a customer), or null. */
    public Uni<Quote> acceptedOf(String tenantId, UUID leadId) {
        return find("tenantId = ?1 and leadId = ?2 and kind = ?3 and status = ?4", tenantId, leadId, Quote.NEW,
                QuoteStatus.ACCEPTED).firstResult();
    }

    /** The lead's newest quote of kind new that is open (draft or sent) and valid on {@code today}, or null. */
    public Uni<Quote> newestOpenOf(String tenantId, UUID leadId, LocalDate today) {
        return find("tenantId = ?1 and leadId = ?2 and kind = ?3 and status in ?4 and validUntil >= ?5",
                Sort.descending("createdAt", "id"), tenantId, leadId, Quote.NEW, List.of(QuoteStatus.DRAFT, QuoteStatus.SENT), today)
                .firstResult();
    }

    /** Whether the lead has another quote still open (draft or sent): its slug is still needed. */
    public Uni<Boolean> otherOpenQuote(String tenantId, UUID leadId, UUID quoteId) {
        return count("tenantId = ?1 and leadId = ?2 and id <> ?3 and status in ?4", tenantId, leadId, quoteId,
                List.of(QuoteStatus.DRAFT, QuoteStatus.SENT)).map(open -> open > 0);
    }

    /** The next quote number, Q-000001 onwards: from a sequence, so unique however many generate at once. */
    public Uni<String> nextQuoteNumber() {
        return getSession().chain(session -> session.createNativeQuery("SELECT nextval('quote_number_seq')", Long.class)
                .getSingleResult()).map(n -> String.format("Q-%06d", n));
    }
}
