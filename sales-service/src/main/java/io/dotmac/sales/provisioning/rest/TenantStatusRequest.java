package io.dotmac.sales.provisioning.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code {"quote_id": ..., "reason": ...}}: deprovision the customer tenant of the order made from
 * this crm-service quote; the reason (optional) is logged.
 */
public record TenantStatusRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9_-]*$", message = "must be a quote id (letters, digits, - and _)")
        String quoteId,
        @Size(max = 500) String reason) {
}
