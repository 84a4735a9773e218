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

    /** The source of a lead that the self-serve shop's checkout made from a cart (its {@link #sourceRef}). */
    public static final String SHOP = "shop";

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

    /**
     * What the lead is in its source's own terms (the shop: the cart's id); null for leads taken in
     * by hand. At most one lead of a tenant has a given one, so a source sending it again finds it.
     */
    @Column(name = "source_ref")
    public String sourceRef;

    /** The cycle the customer chose to be billed with ({@code monthly}, {@code annual}); null: each product's own. */
    @Column(name = "billing_cycle")
    public String billingCycle;

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

    /** The shop's cart this lead was made from, or null. */
    public UUID cartId() {
        return SHOP.equals(source) && sourceRef != null ? UUID.fromString(sourceRef) : null;
    }

    /**
     * The same lead sent again by its source, before it was qualified (nothing is reserved or quoted
     * for it yet): what was sent now replaces what was sent before.
     */
    void resubmitted(Lead sent, OffsetDateTime now) {
        customerName = sent.customerName;
        customerEmail = sent.customerEmail;
        companyName = sent.companyName;
        organizationSlug = sent.organizationSlug;
        region = sent.region;
        products = sent.products;
        billingCycle = sent.billingCycle;
        updatedAt = now;
    }

    /** What a qualified lead is to buy changed before any quote of it was accepted (its customer stays). */
    void productsChanged(List<LeadProduct> now, String cycle, OffsetDateTime at) {
        products = now;
        billingCycle = cycle;
        updatedAt = at;
    }

    /**
     * The accepted quote of this converted lead was never paid: it is no customer, and holds its
     * organization name no more (a disqualified lead holds none).
     */
    public void lapse(String reason, OffsetDateTime now) {
        status = LeadStatus.DISQUALIFIED;
        qualificationReasons = List.of(reason);
        qualifiedAt = null;
        updatedAt = now;
    }

    /** A quote of this lead was accepted: the lead became a customer. */
    public void convert(OffsetDateTime now) {
        status = LeadStatus.CONVERTED;
        updatedAt = now;
    }
}
