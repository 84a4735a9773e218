package io.dotmac.workflow.execution;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reads executions' cancel flags together, for their drivers: the reads asked for while one query
 * runs go into the next. The engine reads an execution's flag after each call whose answer it does
 * not write yet (so that a cancel stops it before its next step); one query each would cost as much
 * as the writes it saves. Like a write, a read is fenced by the lease: a driver whose lease was
 * taken over hears so and sends nothing more.
 */
final class CancelFlagReads {

    private static final String READ = """
            SELECT e.id, e.cancel_requested, e.lease_owner = d.token AS held
              FROM unnest($1::uuid[], $2::text[]) AS d(id, token) JOIN workflow_executions e ON e.id = d.id""";
    /** Bounded by the executions in flight anyway; this keeps one query's arrays small whatever they are. */
    private static final int MAX_BATCH = 512;
    private static final Logger LOG = Logger.getLogger(CancelFlagReads.class);

    private final Pool pool;
    // Guarded by this. An execution has one driver, so one lease token per id.
    private final Map<UUID, Waiting> waiting = new LinkedHashMap<>();
    private boolean reading;

    CancelFlagReads(Pool pool) {
        this.pool = pool;
    }

    /** Emits whether a cancel was requested; fails with {@link LeaseLostException} if the lease is no longer this token's. */
    Uni<Boolean> read(UUID executionId, String leaseToken) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                waiting.computeIfAbsent(executionId, id -> new Waiting(leaseToken, new ArrayList<>(1))).emitters().add(emitter);
                if (reading) {
                    return;
                }
                reading = true;
            }
            next();
        });
    }

    private void next() {
        Map<UUID, Waiting> batch = new LinkedHashMap<>();
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
        UUID[] ids = batch.keySet().toArray(UUID[]::new);
        String[] tokens = batch.values().stream().map(Waiting::token).toArray(String[]::new);
        pool.preparedQuery(READ).execute(Tuple.of(ids, tokens)).subscribe().with(rows -> {
            Map<UUID, Row> found = new HashMap<>();
            for (Row row : rows) {
                found.put(row.getUUID(0), row);
            }
            batch.forEach((id, w) -> {
                Row row = found.get(id);
                boolean held = row != null && Boolean.TRUE.equals(row.getBoolean(2));
                w.emitters().forEach(e -> tell(() -> {
                    if (held) {
                        e.complete(row.getBoolean(1));
                    } else {
                        e.fail(new LeaseLostException(id));
                    }
                }));
            });
            next();
        }, failure -> {
            batch.values().forEach(w -> w.emitters().forEach(e -> tell(() -> e.fail(failure))));
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

    private record Waiting(String token, List<UniEmitter<? super Boolean>> emitters) {
    }
}
