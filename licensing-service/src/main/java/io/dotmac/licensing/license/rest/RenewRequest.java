package io.dotmac.licensing.license.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Renew the licenses bought with one quote for the period a paid invoice of its subscription covers",
        example = """
        {"source_id": "8d3c1f6e-…", "invoice_id": "0b8a2c4e-…"}""")
public record RenewRequest(
        @Schema(description = "The quote the licenses were bought with (their source_id; any case)")
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String sourceId,
        @Schema(description = "billing-service's id of the paid invoice (the invoice_id of billing.invoice.paid)")
        @NotNull UUID invoiceId) {
}
