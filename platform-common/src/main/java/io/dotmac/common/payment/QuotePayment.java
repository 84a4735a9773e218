package io.dotmac.common.payment;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;

/** A quote's payment as billing-service serves it; only what the paid check reads. */
@RegisterForReflection
public record QuotePayment(String id, String quoteId, BigDecimal amount, String currency, String status) {

    public static final String SUCCEEDED = "succeeded";
}
