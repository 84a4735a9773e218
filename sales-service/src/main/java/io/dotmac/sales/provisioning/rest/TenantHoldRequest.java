package io.dotmac.sales.provisioning.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code {"quote_id": ..., "hold": ..., "reason": ...}}: put a hold on, or lift it from, the customer
 * tenant of the order made from this crm-service quote. The hold names its cause, and an id after a
 * colon for one of many ({@code invoice:<id>}); {@code operator} when not given. The reason
 * (optional) is kept with a hold put on, and logged.
 */
public record TenantHoldRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9_-]*$", message = "must be a quote id (letters, digits, - and _)")
        String quoteId,
        @Size(min = 1, max = 100) @Pattern(regexp = "^[a-z][a-z0-9_]*(:[A-Za-z0-9_-]{1,80})?$",
                message = "must be a hold: a lower-case name (a-z, 0-9, _), then optionally ':' and an id of up to 80 "
                        + "letters, digits, - and _ (operator, invoice:in_123)")
        String hold,
        @Size(max = 500) String reason) {
}
