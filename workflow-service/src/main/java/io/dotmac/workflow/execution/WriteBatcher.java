package io.dotmac.workflow.execution;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Group commit for execution state. Writes queue up while a transaction is in flight and go
 * together into the next one, so the commit rate, not the number of executions in flight, bounds
 * the engine. Each caller's {@code Uni} completes only after its write has committed; a write
 * whose lease was lost fails alone, without its step rows, and does not fail the others.
 */
final class WriteBatcher {

    /** Enough to amortise a commit; small enough to keep one transaction short. */
    private static final int MAX_BATCH = 256;
    private static final Logger LOG = Logger.getLogger(WriteBatcher.class);

    private final Pool pool;
    private final Queue<Write> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    WriteBatcher(Pool pool) {
        this.pool = pool;
    }

    /** Emits true if the execution was inserted, false if its idempotency key already existed. */
    Uni<Boolean> insert(Tuple execution) {
        return Uni.createFrom().emitter(emitter -> submit(new Write(null, execution, List.of(), emitter, true)));
    }

    /** Emits the execution's cancel flag after the fenced update and its steps committed. */
    Uni<Boolean> checkpoint(UUID executionId, Tuple execution, List<Tuple> steps) {
        return Uni.createFrom().emitter(emitter -> submit(new Write(executionId, execution, steps, emitter, false)));
    }

    private void submit(Write write) {
        queue.add(write);
        flushIfIdle();
    }

    private void flushIfIdle() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        List<Write> batch = new ArrayList<>();
        Write next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        // Updates in id order: two transactions locking rows in one order cannot deadlock.
        batch.sort(Comparator.comparing((Write w) -> w.insert).reversed()
                .thenComparing(w -> w.executionId, Comparator.nullsFirst(Comparator.naturalOrder())));
        pool.withTransaction(conn -> write(conn, batch)).subscribe().with(
                outcomes -> finish(batch, outcomes, null),
                failure -> {
                    if (batch.size() == 1) {
                        finishOne(batch.get(0), failure);
                    } else {
                        isolate(batch);
                    }
                });
    }

    // One bad write (a value PostgreSQL refuses) must not fail the others: each is tried alone.
    private void isolate(List<Write> batch) {
        Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(w -> pool.withTransaction(conn -> write(conn, List.of(w)))
                        .map(outcomes -> outcomes.get(0))
                        .onFailure().recoverWithItem(failure -> failure)
                        .invoke(outcome -> complete(w, outcome)))
                .collect().asList()
                .subscribe().with(done -> release(), failure -> release());
    }

    private void finishOne(Write write, Throwable failure) {
        try {
            complete(write, failure);
        } finally {
            release();
        }
    }

    private Uni<List<Object>> write(SqlConnection conn, List<Write> batch) {
        List<Write> inserts = batch.stream().filter(w -> w.insert).toList();
        List<Write> updates = batch.stream().filter(w -> !w.insert).toList();
        List<Object> outcomes = new ArrayList<>(batch.size());
        return executeBatch(conn, PgExecutionStore.INSERT_EXECUTION, inserts)
                .chain(insertRows -> {
                    List<Boolean> created = rowCounts(insertRows, inserts.size()).stream().map(n -> n == 1).toList();
                    return executeBatch(conn, PgExecutionStore.UPDATE_EXECUTION, updates).chain(updateRows -> {
                        // Step rows only of the executions whose fenced update matched: a lost lease writes nothing.
                        List<Tuple> steps = new ArrayList<>();
                        List<Object> updated = new ArrayList<>();
                        RowSet<Row> rows = updateRows;
                        for (Write w : updates) {
                            if (rows != null && rows.size() == 1) {
                                updated.add(rows.iterator().next().getBoolean(0));
                                steps.addAll(w.steps);
                            } else {
                                updated.add(new LeaseLostException(w.executionId));
                            }
                            rows = rows == null ? null : rows.next();
                        }
                        return executeTuples(conn, PgExecutionStore.UPSERT_STEP, steps).map(ignored -> {
                            int i = 0;
                            int u = 0;
                            for (Write w : batch) {
                                outcomes.add(w.insert ? created.get(i++) : updated.get(u++));
                            }
                            return outcomes;
                        });
                    });
                });
    }

    private static Uni<RowSet<Row>> executeBatch(SqlConnection conn, String sql, List<Write> writes) {
        return executeTuples(conn, sql, writes.stream().map(w -> w.execution).toList());
    }

    private static Uni<RowSet<Row>> executeTuples(SqlConnection conn, String sql, List<Tuple> tuples) {
        return tuples.isEmpty() ? Uni.createFrom().nullItem() : conn.preparedQuery(sql).executeBatch(tuples);
    }

    private static List<Integer> rowCounts(RowSet<Row> first, int expected) {
        List<Integer> counts = new ArrayList<>(expected);
        for (RowSet<Row> rows = first; rows != null && counts.size() < expected; rows = rows.next()) {
            counts.add(rows.rowCount());
        }
        return counts;
    }

    // Callers continue on this thread and may queue their next write at once: it joins the next
    // batch, which starts when this one has been handed out.
    private void finish(List<Write> batch, List<Object> outcomes, Throwable failure) {
        try {
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i), failure != null ? failure : outcomes.get(i));
            }
        } finally {
            release();
        }
    }

    // A caller's continuation that throws must not keep the other callers from hearing of their writes.
    private static void complete(Write w, Object outcome) {
        try {
            if (outcome instanceof Throwable t) {
                w.emitter.fail(t);
            } else {
                w.emitter.complete((Boolean) outcome);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "a caller of the write batcher failed on its outcome");
        }
    }

    private void release() {
        flushing.set(false);
        flushIfIdle();
    }

    private record Write(UUID executionId, Tuple execution, List<Tuple> steps, UniEmitter<? super Boolean> emitter,
                         boolean insert) {
    }
}
