package io.dotmac.licensing.license.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Revoke every license bought with one quote, for good", example = """
        {"source_id": "8d3c1f6e-…", "reason": "order could not be activated"}""")
public record RevokeSourceRequest(
        @Schema(description = "The quote the licenses were bought with (their source_id; any case)")
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String sourceId,
        @Schema(description = "Why, for the service's log (optional)")
        @Size(max = 500) String reason) {
}
