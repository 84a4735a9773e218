package io.dotmac.crm.lead.rest;

import io.dotmac.crm.lead.Lead;
import io.dotmac.crm.lead.LeadProduct;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** customer_id is there so a workflow can hand the lead's customer to licensing (see {@link Lead#customerId()}). */
public record LeadView(UUID id, String customerName, String customerEmail,
                       @Schema(description = "The customer the lead becomes, as licensing and sales know it: the"
                               + " organization_slug once the lead is qualified (reserved then); null while new or"
                               + " disqualified", nullable = true)
                       String customerId,
                       String companyName, String organizationSlug,
                       String region, List<LeadProduct> products,
                       @Schema(description = "The billing cycle the customer chose (monthly, annual); null: each product's own",
                               nullable = true)
                       String billingCycle,
                       String source,
                       @Schema(description = "What the lead is in its source's terms (source shop: the cart's id); null for"
                               + " leads taken in by hand", nullable = true)
                       String sourceRef,
                       String status, String owner, String notes,
                       List<String> qualificationReasons, OffsetDateTime qualifiedAt, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt) {
}
