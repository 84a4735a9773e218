package io.dotmac.billing.subscription.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The optional body of a subscription's cancellation at its period's end, or of its undoing: why, for the log. */
public record SubscriptionChangeRequest(
        @Size(max = 500) @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters") String reason) {
}
