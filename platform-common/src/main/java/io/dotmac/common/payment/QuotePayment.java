package io.dotmac.common.payment;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * A quote's payment as billing-service serves it; only what its readers use: the paid check, and
 * the payment request email ({@code checkout_url} is the Stripe Checkout page the customer pays on,
 * open until {@code checkout_expires_at}; both null when billing takes the payment without them),
 * and the email telling a customer their journey failed ({@code failure_message}: why a failed
 * payment failed, as Stripe or billing said it; null otherwise).
 */
@RegisterForReflection
public record QuotePayment(String id, String quoteId, BigDecimal amount, String currency, String status,
                           String customerEmail, String checkoutUrl, OffsetDateTime checkoutExpiresAt,
                           String failureMessage) {

    public static final String SUCCEEDED = "succeeded";
    public static final String PENDING = "pending";
    public static final String FAILED = "failed";
    public static final String REFUNDED = "refunded";

    /** A payment without a failure message (the record before it had one; kept for its callers). */
    public QuotePayment(String id, String quoteId, BigDecimal amount, String currency, String status,
                        String customerEmail, String checkoutUrl, OffsetDateTime checkoutExpiresAt) {
        this(id, quoteId, amount, currency, status, customerEmail, checkoutUrl, checkoutExpiresAt, null);
    }
}
