package io.dotmac.crm.quote.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Why the customer declined", example = """
        {"reason": "Chose another vendor"}""")
public record RejectQuote(@NotBlank @Size(max = 2000) String reason) {
}
