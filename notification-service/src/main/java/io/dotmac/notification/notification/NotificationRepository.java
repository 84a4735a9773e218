package io.dotmac.notification.notification;

import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Notifications and the state changes of their delivery. The changes a sender makes are single
 * conditional statements on the database's clock, so that two senders (replicas, or the API and
 * the background retrier) never both win the same attempt.
 */
@ApplicationScoped
@WithSession
public class NotificationRepository implements PanacheRepositoryBase<Notification, UUID> {

    // Every kind's columns, those of other kinds null. A concurrent request for the same email waits
    // on its kind's unique index and then inserts nothing.
    private static final String INSERT_IF_ABSENT = """
            INSERT INTO notifications (id, tenant_id, kind, recipient, customer_name, tenant_subdomain, tenant_url,
                                       quote_id, payment_url, amount, currency, payment_expires_at,
                                       payment_status, failure_message, invoice_id, invoice_url, period_start, period_end,
                                       dunning_stage, cancel_url, order_url, subject, status, message_id, next_attempt_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, 'queued', ?23,
                    now())
            ON CONFLICT DO NOTHING""";

    // An attempt is claimed by the one statement that finds it queued, due and not leased; the
    // attempt is counted before anything is sent.
    private static final String CLAIM = """
            UPDATE notifications
               SET attempts = attempts + 1, locked_until = now() + make_interval(secs => ?2), updated_at = now()
             WHERE id = ?1 AND status = 'queued' AND next_attempt_at <= now()
               AND (locked_until IS NULL OR locked_until < now())""";

    private static final String MARK_SENT = """
            UPDATE notifications
               SET status = 'sent', sent_at = now(), locked_until = NULL, next_attempt_at = NULL, updated_at = now()
             WHERE id = ?1 AND status = 'queued'""";

    private static final String RETRY_LATER = """
            UPDATE notifications
               SET last_error = ?2, locked_until = NULL, next_attempt_at = now() + make_interval(secs => ?3), updated_at = now()
             WHERE id = ?1 AND status = 'queued'""";

    private static final String MARK_FAILED = """
            UPDATE notifications
               SET status = 'failed', last_error = ?2, locked_until = NULL, next_attempt_at = NULL, updated_at = now()
             WHERE id = ?1 AND status = 'queued'""";

    private static final String DUE = """
            SELECT n.id FROM Notification n
             WHERE n.status = :queued AND n.nextAttemptAt <= current_timestamp
               AND (n.lockedUntil IS NULL OR n.lockedUntil < current_timestamp)
               AND (n.attempts > 0 OR n.updatedAt < :firstAttemptsBefore)
             ORDER BY n.nextAttemptAt""";

    /** Inserts a new queued notification unless the same email of its kind exists already; emits whether it did. */
    public Uni<Boolean> insertIfAbsent(Notification n) {
        return execute(INSERT_IF_ABSENT, n.id, n.tenantId, n.kind, n.recipient, n.customerName, n.tenantSubdomain,
                n.tenantUrl, n.quoteId, n.paymentUrl, n.amount, n.currency, n.paymentExpiresAt, n.paymentStatus,
                n.failureMessage, n.invoiceId, n.invoiceUrl, n.periodStart, n.periodEnd, n.dunningStage, n.cancelUrl, n.orderUrl, n.subject,
                n.messageId);
    }

    public Uni<Notification> findWelcome(String tenantId, String recipient, String tenantSubdomain) {
        return find("tenantId = :tenant and kind = :kind and lower(recipient) = lower(:recipient) and tenantSubdomain = :subdomain",
                Parameters.with("tenant", tenantId).and("kind", Notification.WELCOME_EMAIL).and("recipient", recipient)
                        .and("subdomain", tenantSubdomain))
                .firstResult();
    }

    public Uni<Notification> findPaymentRequest(String tenantId, String quoteId, String paymentUrl) {
        return find("tenantId = :tenant and kind = :kind and quoteId = :quote and paymentUrl = :url",
                Parameters.with("tenant", tenantId).and("kind", Notification.PAYMENT_REQUEST).and("quote", quoteId)
                        .and("url", paymentUrl))
                .firstResult();
    }

    public Uni<Notification> latestPaymentRequest(String tenantId, String quoteId) {
        return find("tenantId = :tenant and kind = :kind and quoteId = :quote",
                Sort.descending("createdAt").and("id"),
                Parameters.with("tenant", tenantId).and("kind", Notification.PAYMENT_REQUEST).and("quote", quoteId))
                .firstResult();
    }

    /** The reminder of the quote's unpaid shop checkout: there is one per tenant and quote. */
    public Uni<Notification> findShopReminder(String tenantId, String quoteId) {
        return find("tenantId = :tenant and kind = :kind and quoteId = :quote",
                Parameters.with("tenant", tenantId).and("kind", Notification.SHOP_REMINDER).and("quote", quoteId))
                .firstResult();
    }

    /** The journey-failed email of the quote: there is one per tenant and quote, whatever became of the payment since. */
    public Uni<Notification> findJourneyFailed(String tenantId, String quoteId) {
        return find("tenantId = :tenant and kind = :kind and quoteId = :quote",
                Parameters.with("tenant", tenantId).and("kind", Notification.JOURNEY_FAILED).and("quote", quoteId))
                .firstResult();
    }

    /** The receipt of the invoice: there is one per tenant and invoice. */
    public Uni<Notification> findReceipt(String tenantId, String invoiceId) {
        return find("tenantId = :tenant and kind = :kind and invoiceId = :invoice",
                Parameters.with("tenant", tenantId).and("kind", Notification.RECEIPT).and("invoice", invoiceId))
                .firstResult();
    }

    /** The dunning email of the invoice at this stage: there is one per tenant, invoice and stage. */
    public Uni<Notification> findPaymentFailed(String tenantId, String invoiceId, String stage) {
        return find("tenantId = :tenant and kind = :kind and invoiceId = :invoice and dunningStage = :stage",
                Parameters.with("tenant", tenantId).and("kind", Notification.PAYMENT_FAILED).and("invoice", invoiceId)
                        .and("stage", stage))
                .firstResult();
    }

    /** The tenant's notification, or null (another tenant's is as absent as an unknown one). */
    public Uni<Notification> findForTenant(String tenantId, UUID id) {
        return find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
    }

    /** The tenant's notifications, to one recipient if given (any letter case), newest first. */
    public Uni<Page<Notification>> list(String tenantId, String recipient, PageRequest page) {
        var query = recipient == null
                ? find("tenantId = ?1", Sort.descending("createdAt").and("id"), tenantId)
                : find("tenantId = ?1 and lower(recipient) = lower(?2)", Sort.descending("createdAt").and("id"), tenantId, recipient);
        return page.fetch(query);
    }

    /** Takes the notification for one attempt, for {@code lease}; emits false if it is not queued, not due, or taken. */
    public Uni<Boolean> claim(UUID id, Duration lease) {
        return execute(CLAIM, id, seconds(lease));
    }

    public Uni<Boolean> markSent(UUID id) {
        return execute(MARK_SENT, id);
    }

    public Uni<Boolean> retryLater(UUID id, String error, Duration delay) {
        return execute(RETRY_LATER, id, error, seconds(delay));
    }

    public Uni<Boolean> markFailed(UUID id, String error) {
        return execute(MARK_FAILED, id, error);
    }

    /**
     * Ids of queued notifications whose next attempt is due and that no sender holds, oldest due
     * first; one never attempted only if it was queued before {@code firstAttemptsBefore}.
     */
    public Uni<List<UUID>> findDue(int limit, OffsetDateTime firstAttemptsBefore) {
        return getSession().chain(session -> session.createSelectionQuery(DUE, UUID.class)
                .setParameter("queued", NotificationStatus.QUEUED).setParameter("firstAttemptsBefore", firstAttemptsBefore)
                .setMaxResults(limit).getResultList());
    }

    private Uni<Boolean> execute(String sql, Object... parameters) {
        return getSession().chain(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            return query.executeUpdate();
        }).map(updated -> updated == 1);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
