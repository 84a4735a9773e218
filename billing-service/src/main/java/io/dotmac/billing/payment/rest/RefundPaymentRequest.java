package io.dotmac.billing.payment.rest;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The optional body of a refund: why the money goes back, for the payment's record (a person or a
 * journey reads it later). Not sent to Stripe, which is told "requested by customer".
 */
public record RefundPaymentRequest(
        @Size(max = 500) @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters") String reason) {
}
