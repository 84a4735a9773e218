package io.dotmac.crm.lead;

import io.dotmac.crm.persistence.JsonListConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A prospective customer of one tenant: who they are, the organization slug that will become their
 * subdomain, the region they want to be deployed in, and the products they asked for.
 */
@Entity
@Table(name = "leads")
public class Lead extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    @Column(name = "customer_name")
    public String customerName;

    @Column(name = "customer_email")
    public String customerEmail;

    @Column(name = "company_name")
    public String companyName;

    @Column(name = "organization_slug")
    public String organizationSlug;

    public String region;

    @Convert(converter = JsonListConverter.LeadProducts.class)
    @ColumnTransformer(read = "CAST(products AS text)", write = "CAST(CAST(? AS text) AS jsonb)")
    public List<LeadProduct> products;

    public String source;

    @Convert(converter = LeadStatus.DbConverter.class)
    public LeadStatus status;

    public String owner;

    public String notes;

    /** Why the last qualification failed; empty when it passed or has not run. */
    @Column(name = "qualification_reasons")
    @Convert(converter = JsonListConverter.Strings.class)
    @ColumnTransformer(read = "CAST(qualification_reasons AS text)", write = "CAST(CAST(? AS text) AS jsonb)")
    public List<String> qualificationReasons;

    @Column(name = "qualified_at")
    public OffsetDateTime qualifiedAt;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** Records the outcome of a qualification: qualified when there is no reason against it. */
    void qualificationOutcome(List<String> reasons, OffsetDateTime now) {
        status = reasons.isEmpty() ? LeadStatus.QUALIFIED : LeadStatus.DISQUALIFIED;
        qualificationReasons = List.copyOf(reasons);
        qualifiedAt = reasons.isEmpty() ? now : null;
        updatedAt = now;
    }

    /**
     * The customer this lead becomes: its organization slug once qualified (qualification reserved
     * it platform-wide), null while new or disqualified. Licensing and sales know a customer by that
     * slug, so a workflow can pass this on without fetching a quote.
     */
    public String customerId() {
        return status == LeadStatus.QUALIFIED || status == LeadStatus.CONVERTED ? organizationSlug : null;
    }

    /** A quote of this lead was accepted: the lead became a customer. */
    public void convert(OffsetDateTime now) {
        status = LeadStatus.CONVERTED;
        updatedAt = now;
    }
}
