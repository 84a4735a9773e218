package io.dotmac.standin.stripe;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Stripe's proration of a change made within a period, to the second: the part of a period's
 * amount that falls from the change to the period's end, {@code amount × (end − at) / (end − start)},
 * rounded to the nearest minor unit (halves up). A change credits the old amount's part ("Unused
 * time on …") and charges the new one's ("Remaining time on …"), each rounded on its own line.
 */
final class Proration {

    private Proration() {
    }

    /**
     * The part of {@code amount} (for the period {@code start}–{@code end}, Unix seconds) left from
     * {@code at} on; {@code at} outside the period counts as its nearer end.
     */
    static long remaining(long amount, long at, long start, long end) {
        long from = Math.min(Math.max(at, start), end);
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(end - from))
                .divide(BigDecimal.valueOf(end - start), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
