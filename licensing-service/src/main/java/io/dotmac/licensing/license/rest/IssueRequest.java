package io.dotmac.licensing.license.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "License what a customer bought with one quote: the customer, products and quantities must be "
        + "the quote's", example = """
        {"customer_id": "acme-isp", "source_id": "8d3c1f6e-…", "billing_cycle": "annual",
         "products": [{"product_code": "isp-core", "quantity": 1}, {"product_code": "support-desk", "quantity": 5}]}""")
public record IssueRequest(
        @Schema(description = "The customer's organization: the quote's organization_slug")
        @NotBlank @Size(max = 100) String customerId,
        @Schema(description = "The quote the products come from (its id in crm-service); the same quote returns the "
                + "same licenses")
        @NotBlank @Size(max = 100) String sourceId,
        @Schema(description = "monthly or annual: how long the licenses run; if given, the quote's billing cycle, "
                + "which is used when not given")
        @Pattern(regexp = "monthly|annual", message = "must be monthly or annual") String billingCycle,
        @Schema(description = "The quote's items (lines of one product add up)")
        @NotEmpty @Size(max = 50) List<@Valid @NotNull ProductLine> products) {
}
