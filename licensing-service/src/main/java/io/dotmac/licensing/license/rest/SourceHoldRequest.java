package io.dotmac.licensing.license.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Put a hold on, or lift it from, every license bought with one quote", example = """
        {"source_id": "8d3c1f6e-…", "hold": "invoice:3f0c…", "reason": "invoice unpaid past its grace"}""")
public record SourceHoldRequest(
        @Schema(description = "The quote the licenses were bought with (their source_id; any case)")
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String sourceId,
        @Schema(description = "The hold's cause: a lower-case name, and an id after a colon for one of many "
                + "(invoice:<id>); operator when not given")
        @Size(min = 1, max = 100) @Pattern(regexp = "^[a-z][a-z0-9_]*(:[A-Za-z0-9_-]{1,80})?$",
                message = "must be a hold: a lower-case name (a-z, 0-9, _), then optionally ':' and an id of up to 80 "
                        + "letters, digits, - and _ (operator, invoice:in_123)")
        String hold,
        @Schema(description = "Why, kept with a hold put on and logged (optional)")
        @Size(max = 500) String reason) {
}
