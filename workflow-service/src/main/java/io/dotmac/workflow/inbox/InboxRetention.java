package io.dotmac.workflow.inbox;

import io.dotmac.common.housekeeping.HousekeepingConfig;
import io.dotmac.common.housekeeping.PruneTarget;
import io.dotmac.workflow.stats.StatsRetention;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * The engine's inbox, pruned by the shared housekeeping like the outbox: an event is kept
 * {@code controlplane.housekeeping.inbox-retention} (45 days) after it came, for a wait begun later
 * to find (a wake-up to check again); duplicates are caught by the executions' own keys, not by it.
 * An event deferred (a tenant over its rate) is kept until it is handled.
 */
@Dependent
class InboxRetention {

    @Produces
    PruneTarget inbox(HousekeepingConfig config) {
        return new PruneTarget("inbox_events", """
                DELETE FROM inbox_events WHERE (source, event_id) IN (
                    SELECT source, event_id FROM inbox_events WHERE received_at < $1 AND deferred_until IS NULL
                    LIMIT $2 FOR UPDATE SKIP LOCKED)""",
                config.inboxRetention());
    }

    /** Dead letters are counted for the overview, whose longest range is 30 days. */
    @Produces
    PruneTarget deadLetters() {
        return new PruneTarget("inbox_dead_letters", """
                DELETE FROM inbox_dead_letters WHERE id IN (
                    SELECT id FROM inbox_dead_letters WHERE at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""",
                StatsRetention.KEPT);
    }
}
