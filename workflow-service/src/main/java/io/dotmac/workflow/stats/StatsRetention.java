package io.dotmac.workflow.stats;

import io.dotmac.common.housekeeping.PruneTarget;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/**
 * The rollups, pruned by the shared housekeeping once no range reaches them: the longest range is
 * 30 days, read from the start of its first hour.
 */
@Dependent
public class StatsRetention {

    public static final Duration KEPT = Duration.ofDays(31);

    @Produces
    PruneTarget counts() {
        return hoursOf("workflow_stats_counts");
    }

    @Produces
    PruneTarget durations() {
        return hoursOf("workflow_stats_durations");
    }

    private static PruneTarget hoursOf(String table) {
        return new PruneTarget(table, """
                DELETE FROM %1$s WHERE ctid IN (SELECT ctid FROM %1$s WHERE hour < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)"""
                .formatted(table), KEPT);
    }
}
