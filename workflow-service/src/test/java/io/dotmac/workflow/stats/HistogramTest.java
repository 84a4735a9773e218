package io.dotmac.workflow.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Percentiles from quarter-octave buckets: within the bucket's width of the truth. */
class HistogramTest {

    /** The bucket V12's workflow_stats_bucket gives a duration. */
    private static int bucket(double ms) {
        return (int) Math.min(127, Math.max(0, Math.floor(4 * Math.log(Math.max(ms, 1)) / Math.log(2))));
    }

    @Test
    void aPercentileIsWithinItsBucketOfTheTruth() {
        Histogram histogram = new Histogram();
        for (int ms = 1; ms <= 1000; ms++) {
            histogram.add(bucket(ms), 1);
        }
        for (double share : new double[] {0.5, 0.95, 0.99}) {
            double truth = share * 1000;
            double ratio = histogram.percentile(share) / truth;
            assertTrue(ratio > 0.9 && ratio < 1.1, share + ": " + histogram.percentile(share) + " for " + truth);
        }
    }

    @Test
    void nothingCountedHasNoPercentileAndOneValueIsEveryPercentile() {
        assertNull(new Histogram().percentile(0.5));
        Histogram one = new Histogram();
        one.add(bucket(60_000), 3);
        assertEquals(one.percentile(0.01), one.percentile(0.99));
        assertTrue(Math.abs(one.percentile(0.5) - 60_000) < 60_000 * 0.1, "about a minute: " + one.percentile(0.5));
    }

    @Test
    void theLastBucketHoldsEverythingLonger() {
        Histogram histogram = new Histogram();
        histogram.add(500, 1);
        histogram.add(-3, 1);
        assertEquals(1, histogram.percentile(0.5));
        assertTrue(histogram.percentile(1.0) > 3_000_000_000L, "the last bucket: " + histogram.percentile(1.0));
    }
}
