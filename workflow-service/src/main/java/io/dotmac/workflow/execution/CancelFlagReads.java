package io.dotmac.workflow.execution;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reads executions' cancel flags together: the reads asked for while one query runs go into the
 * next. The engine reads an execution's flag after each call it does not write (so that a cancel
 * stops it before its next step); one query each would cost as much as the writes it saves.
 */
final class CancelFlagReads {

    private static final String READ = "SELECT id FROM workflow_executions WHERE id = ANY($1) AND cancel_requested";
    /** Bounded by the executions in flight anyway; this keeps one query's array small whatever they are. */
    private static final int MAX_BATCH = 512;
    private static final Logger LOG = Logger.getLogger(CancelFlagReads.class);

    private final Pool pool;
    // Guarded by this.
    private final Map<UUID, List<UniEmitter<? super Boolean>>> waiting = new LinkedHashMap<>();
    private boolean reading;

    CancelFlagReads(Pool pool) {
        this.pool = pool;
    }

    /** Emits whether a cancel was requested (false for no such execution). */
    Uni<Boolean> read(UUID executionId) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                waiting.computeIfAbsent(executionId, id -> new ArrayList<>(1)).add(emitter);
                if (reading) {
                    return;
                }
                reading = true;
            }
            next();
        });
    }

    private void next() {
        Map<UUID, List<UniEmitter<? super Boolean>>> batch = new LinkedHashMap<>();
        synchronized (this) {
            var it = waiting.entrySet().iterator();
            while (it.hasNext() && batch.size() < MAX_BATCH) {
                var entry = it.next();
                batch.put(entry.getKey(), entry.getValue());
                it.remove();
            }
            if (batch.isEmpty()) {
                reading = false;
                return;
            }
        }
        pool.preparedQuery(READ).execute(Tuple.of(batch.keySet().toArray(UUID[]::new))).subscribe().with(rows -> {
            Set<UUID> cancelled = new HashSet<>();
            for (Row row : rows) {
                cancelled.add(row.getUUID(0));
            }
            batch.forEach((id, emitters) -> emitters.forEach(e -> tell(() -> e.complete(cancelled.contains(id)))));
            next();
        }, failure -> {
            batch.values().forEach(emitters -> emitters.forEach(e -> tell(() -> e.fail(failure))));
            next();
        });
    }

    // A caller's continuation that throws must not keep the others from hearing of their flags.
    private static void tell(Runnable outcome) {
        try {
            outcome.run();
        } catch (Throwable e) {
            LOG.errorf(e, "a reader of a cancel flag failed on its outcome");
        }
    }
}
