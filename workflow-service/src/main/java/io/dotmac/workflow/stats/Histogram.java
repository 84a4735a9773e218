package io.dotmac.workflow.stats;

/**
 * Durations counted in quarter-octave buckets (V12 {@code workflow_stats_bucket}: bucket k holds
 * 2^(k/4) ms up to 2^((k+1)/4) ms), so that hours add up and a month's percentiles come from a
 * few hundred numbers; a percentile is its bucket's geometric middle, within about 5 % of the truth.
 */
public final class Histogram {

    static final int BUCKETS = 128;

    private final long[] counts = new long[BUCKETS];
    private long total;

    public void add(int bucket, long n) {
        counts[Math.max(0, Math.min(BUCKETS - 1, bucket))] += n;
        total += n;
    }

    /** The duration in milliseconds below which {@code share} (0 to 1) of them fell; null if none were counted. */
    public Long percentile(double share) {
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(share * total));
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return Math.round(Math.pow(2, (bucket + 0.5) / 4));
            }
        }
        throw new IllegalStateException("counted " + total + " but found " + seen);
    }
}
