package io.dotmac.billing.payment.rest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A payment as the API shows it (the billing-service contract). */
public record PaymentResponse(UUID id, String quoteId, BigDecimal amount, String currency, String customerEmail,
                              String status, String stripeCustomerId, String stripePaymentIntentId,
                              String failureMessage, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                              OffsetDateTime succeededAt) {
}
