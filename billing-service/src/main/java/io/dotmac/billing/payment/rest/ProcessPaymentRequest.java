package io.dotmac.billing.payment.rest;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * {@code process_payment} as the workflow engine sends it. {@code amount} is a decimal in the
 * currency's major unit with at most two decimals (1200.00); {@code customer_email} is optional.
 */
public record ProcessPaymentRequest(
        @NotBlank @Size(max = 100) String quoteId,
        @NotNull BigDecimal amount,
        @NotBlank @Size(min = 3, max = 3) String currency,
        @Email @Size(max = 254) String customerEmail) {
}
