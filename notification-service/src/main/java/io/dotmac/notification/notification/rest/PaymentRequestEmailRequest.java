package io.dotmac.notification.notification.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of POST /api/v1/notifications/payment-request, as the workflow engine sends it: only
 * the quote. Whom to ask, for how much and where to pay come from billing-service's payment of it.
 */
public record PaymentRequestEmailRequest(
        // As billing-service takes a quote id.
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String quoteId) {
}
