package io.dotmac.crm.lead.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
}
