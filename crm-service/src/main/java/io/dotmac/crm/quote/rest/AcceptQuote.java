package io.dotmac.crm.quote.rest;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Who accepted the quote; the caller (the token's name) when not given", example = """
        {"accepted_by": "ada@example.net"}""")
public record AcceptQuote(@Size(max = 200) String acceptedBy) {
}
