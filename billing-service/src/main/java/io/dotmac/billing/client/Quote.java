package io.dotmac.billing.client;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;

/** A quote as crm-service serves it; only what the price of its payment is taken from. */
@RegisterForReflection
public record Quote(String id, String quoteNumber, String status, BigDecimal totalAmount, String currency,
                    String customerEmail) {

    public static final String ACCEPTED = "accepted";
}
