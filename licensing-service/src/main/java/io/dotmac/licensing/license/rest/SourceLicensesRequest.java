package io.dotmac.licensing.license.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Expire every license bought with one quote", example = """
        {"source_id": "8d3c1f6e-…", "reason": "subscription sub_123 ended"}""")
public record SourceLicensesRequest(
        @Schema(description = "The quote the licenses were bought with (their source_id; any case)")
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String sourceId,
        @Schema(description = "Why, for the service's log (optional)")
        @Size(max = 500) String reason) {
}
