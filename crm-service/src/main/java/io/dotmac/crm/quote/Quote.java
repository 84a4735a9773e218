package io.dotmac.crm.quote;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.crm.persistence.JsonListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A priced offer to a qualified lead, with everything an order needs to be made from it alone
 * (the customer fields are copied from the lead when the quote is generated). Its status moves
 * draft → sent → accepted | rejected, and an open quote past its validity date is expired.
 */
@Entity
@Table(name = "quotes")
public class Quote extends PanacheEntityBase {

    /** A quote that sells what it lists; accepting it makes a customer of its lead. */
    public static final String NEW = "new";
    /** A quote that changes the seats of the subscription {@link #changesQuoteId} started; its items are the new whole. */
    public static final String CHANGE = "change";

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "lead_id")
    public UUID leadId;

    @Column(name = "quote_number")
    public String quoteNumber;

    @Convert(converter = QuoteStatus.DbConverter.class)
    public QuoteStatus status;

    /** {@link #NEW} or {@link #CHANGE}. */
    public String kind;

    /** For a change: the accepted new quote whose subscription it changes (also its license set's source). */
    @Column(name = "changes_quote_id")
    public UUID changesQuoteId;

    /**
     * The shop's cart the quote was made from (copied from its lead, like the customer fields, so that
     * the quote alone says it); null for quotes of leads taken in by hand, and for changes.
     */
    @Column(name = "cart_id")
    public UUID cartId;

    public String currency;

    @Column(name = "billing_cycle")
    public String billingCycle;

    @Column(name = "total_amount")
    public BigDecimal totalAmount;

    @Convert(converter = JsonListConverter.QuoteItems.class)
    @ColumnTransformer(read = "CAST(items AS text)", write = "CAST(CAST(? AS text) AS jsonb)")
    public List<QuoteItem> items;

    @Column(name = "customer_email")
    public String customerEmail;

    @Column(name = "customer_name")
    public String customerName;

    @Column(name = "company_name")
    public String companyName;

    @Column(name = "organization_slug")
    public String organizationSlug;

    public String region;

    /** The last day (UTC) on which the quote can be accepted. */
    @Column(name = "valid_until")
    public LocalDate validUntil;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;

    @Column(name = "accepted_by")
    public String acceptedBy;

    @Column(name = "rejected_at")
    public OffsetDateTime rejectedAt;

    @Column(name = "rejection_reason")
    public String rejectionReason;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public boolean change() {
        return CHANGE.equals(kind);
    }

    /** The status as of {@code today}: an open quote past its validity date is expired, stored so or not yet. */
    public QuoteStatus statusOn(LocalDate today) {
        return status.open() && today.isAfter(validUntil) ? QuoteStatus.EXPIRED : status;
    }

    /** Marks an open quote past its validity date expired; emits whether it did. */
    boolean expireIfDue(LocalDate today, OffsetDateTime now) {
        if (statusOn(today) == QuoteStatus.EXPIRED && status != QuoteStatus.EXPIRED) {
            status = QuoteStatus.EXPIRED;
            updatedAt = now;
            return true;
        }
        return false;
    }

    void send(LocalDate today, OffsetDateTime now) {
        require(QuoteStatus.DRAFT, "sent", today);
        status = QuoteStatus.SENT;
        sentAt = now;
        updatedAt = now;
    }

    void accept(String by, LocalDate today, OffsetDateTime now) {
        require(QuoteStatus.SENT, "accepted", today);
        status = QuoteStatus.ACCEPTED;
        acceptedAt = now;
        acceptedBy = by;
        updatedAt = now;
    }

    void reject(String reason, LocalDate today, OffsetDateTime now) {
        require(QuoteStatus.SENT, "rejected", today);
        status = QuoteStatus.REJECTED;
        rejectedAt = now;
        rejectionReason = reason;
        updatedAt = now;
    }

    /**
     * An accepted quote whose payment was never made (billing reports it failed, and sales freed its
     * organization name): it ends, expired, with why; nothing is owed under it.
     */
    void lapse(String reason, OffsetDateTime now) {
        if (status != QuoteStatus.ACCEPTED) {
            throw new Conflict("Quote " + quoteNumber + " is " + status.value() + "; only an accepted quote lapses unpaid");
        }
        status = QuoteStatus.EXPIRED;
        rejectionReason = reason;
        updatedAt = now;
    }

    // An illegal transition is a 409 that names the status the quote is in.
    private void require(QuoteStatus from, String to, LocalDate today) {
        QuoteStatus current = statusOn(today);
        if (current == QuoteStatus.EXPIRED) {
            throw new Conflict("Quote " + quoteNumber + " is expired; it was valid until " + validUntil
                    + " and an expired quote cannot be " + to);
        }
        if (current != from) {
            throw new Conflict("Quote " + quoteNumber + " is " + current.value() + "; only a "
                    + from.value() + " quote can be " + to);
        }
    }
}
