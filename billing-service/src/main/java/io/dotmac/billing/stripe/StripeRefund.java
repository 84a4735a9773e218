package io.dotmac.billing.stripe;

import java.util.Set;

/**
 * What Stripe answered for a refund.
 *
 * @param refundId the refund ({@code re_...}); null when Stripe said the charge was refunded
 *                 already (in its dashboard), without naming the refund
 * @param status Stripe's refund status: {@code succeeded}, {@code pending}, {@code requires_action},
 *               {@code failed} or {@code canceled}
 * @param failureReason Stripe's {@code failure_reason} for a failed refund, or null
 */
public record StripeRefund(String refundId, String status, String failureReason) {

    private static final Set<String> REFUSED = Set.of("failed", "canceled");

    /**
     * Whether Stripe took the refund on: made, or under way (Stripe sends the money back, the
     * payment is refunded for billing). Failed or canceled: the money stays with us.
     */
    public boolean accepted() {
        return status == null || !REFUSED.contains(status);
    }
}
