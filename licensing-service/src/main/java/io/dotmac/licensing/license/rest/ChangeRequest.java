package io.dotmac.licensing.license.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Give the licenses bought with one quote the seats of a paid seat change of its subscription",
        example = """
        {"source_id": "8d3c1f6e-…", "change_id": "5e1a9b70-…"}""")
public record ChangeRequest(
        @Schema(description = "The quote whose subscription the change changes: the licenses' source_id (any case)")
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String sourceId,
        @Schema(description = "crm-service's id of the accepted quote of kind change whose changes_quote_id is source_id")
        @NotNull UUID changeId) {
}
