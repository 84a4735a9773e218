package io.dotmac.workflow.inbox;

import io.dotmac.common.housekeeping.PruneTarget;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The engine's inbox, pruned by the shared housekeeping like the outbox: a processed event is kept
 * {@code controlplane.housekeeping.inbox-retention} (45 days), longer than Kafka keeps it (the
 * dead-letter topics 30 days), so that a redelivery or a replay still finds its row and does nothing; a wait begun later than that no longer finds an
 * event that came before it. Events not yet processed (deferred) are never deleted.
 */
@Dependent
class InboxRetention {

    @Produces
    PruneTarget inbox(@ConfigProperty(name = "controlplane.housekeeping.inbox-retention", defaultValue = "P45D") Duration retention) {
        return new PruneTarget("inbox_events", """
                DELETE FROM inbox_events WHERE (source, event_id) IN (
                    SELECT source, event_id FROM inbox_events WHERE processed_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""",
                retention);
    }
}
