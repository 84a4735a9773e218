package io.dotmac.billing.payment.rest;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * {@code process_payment} as the workflow engine sends it. The payment is always of the quote's
 * total in its currency, to its customer: {@code amount} (a decimal in the currency's major unit,
 * at most two decimals), {@code currency} and {@code customer_email} are optional, and if given
 * must be the quote's.
 */
public record ProcessPaymentRequest(
        @NotBlank @Size(max = 100) String quoteId,
        BigDecimal amount,
        @Size(min = 3, max = 3) String currency,
        @Email @Size(max = 254) String customerEmail) {
}
