package io.dotmac.notification.notification.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of POST /api/v1/notifications/journey-failed, as the workflow engine sends it when it
 * has undone a failed journey: only the quote, checked as {@link PaymentRequestEmailRequest}'s. Whom
 * to tell, of what amount and whether the money came back come from billing-service's payment of it.
 */
public record JourneyFailedEmailRequest(
        // As billing-service takes a quote id.
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String quoteId) {
}
