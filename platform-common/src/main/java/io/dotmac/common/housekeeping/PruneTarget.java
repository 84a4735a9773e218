package io.dotmac.common.housekeeping;

import java.time.Duration;

/**
 * A table whose rows {@link Housekeeping} deletes once older than {@code retention}: a service
 * produces one for a table of its own (the engine's inbox). {@code delete} takes the cut-off time
 * ($1) and the batch size ($2) and deletes at most that many rows, skipping locked ones.
 */
public record PruneTarget(String table, String delete, Duration retention) {
}
