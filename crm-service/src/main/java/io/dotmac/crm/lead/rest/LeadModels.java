package io.dotmac.crm.lead.rest;

import io.dotmac.crm.lead.Lead;
import io.dotmac.crm.lead.LeadProduct;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The lead API's request and response bodies (snake_case on the wire). */
public final class LeadModels {

    private LeadModels() {
    }

    /**
     * A new lead. Only presence and size are checked here; whether the email, slug, region and
     * products are acceptable is what qualification decides, and records.
     */
    @Schema(description = "A new lead", example = """
            {"customer_name": "Ada Lovelace", "customer_email": "ada@example.net", "company_name": "Analytical Networks",
             "organization_slug": "analytical-networks", "region": "eu-west",
             "products": [{"product_code": "isp-core", "quantity": 1}, {"product_code": "support-desk", "quantity": 3}],
             "source": "website", "notes": "Wants to go live before March"}""")
    public record CreateLead(
            @NotBlank @Size(max = 200) String customerName,
            @NotBlank @Size(max = 254) String customerEmail,
            @NotBlank @Size(max = 200) String companyName,
            @NotBlank @Size(max = 100) @Schema(description = "The future tenant subdomain: ^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
            String organizationSlug,
            @NotBlank @Size(max = 50) String region,
            @NotNull @Size(max = 50) List<@NotNull @Valid RequestedProduct> products,
            @Size(max = 100) @Schema(description = "Where the lead came from; 'api' when not given") String source,
            @Size(max = 200) @Schema(description = "Who handles the lead; the caller when not given") String owner,
            @Size(max = 10_000) String notes) {

        Lead toLead(String defaultOwner) {
            Lead lead = new Lead();
            lead.customerName = customerName;
            lead.customerEmail = customerEmail;
            lead.companyName = companyName;
            lead.organizationSlug = organizationSlug;
            lead.region = region;
            lead.products = products.stream().map(p -> new LeadProduct(p.productCode(), p.quantity().intValueExact())).toList();
            lead.source = source == null || source.isBlank() ? "api" : source;
            lead.owner = owner == null || owner.isBlank() ? defaultOwner : owner;
            lead.notes = notes;
            return lead;
        }
    }

    /** A whole number of units (a fraction is refused, not rounded); its range is a qualification rule. */
    public record RequestedProduct(
            @NotBlank @Size(max = 100) String productCode,
            @NotNull @Digits(integer = 9, fraction = 0) BigDecimal quantity) {
    }

    /** customer_id is there so a workflow can hand the lead's customer to licensing (see {@link Lead#customerId()}). */
    public record LeadView(UUID id, String customerName, String customerEmail,
                           @Schema(description = "The customer the lead becomes, as licensing and sales know it: the"
                                   + " organization_slug once the lead is qualified (reserved then); null while new or"
                                   + " disqualified", nullable = true)
                           String customerId,
                           String companyName, String organizationSlug,
                           String region, List<LeadProduct> products, String source, String status, String owner, String notes,
                           List<String> qualificationReasons, OffsetDateTime qualifiedAt, OffsetDateTime createdAt,
                           OffsetDateTime updatedAt) {
        public static LeadView of(Lead lead) {
            return new LeadView(lead.id, lead.customerName, lead.customerEmail, lead.customerId(), lead.companyName,
                    lead.organizationSlug, lead.region, lead.products, lead.source, lead.status.value(), lead.owner, lead.notes,
                    lead.qualificationReasons, lead.qualifiedAt, lead.createdAt, lead.updatedAt);
        }
    }
}
