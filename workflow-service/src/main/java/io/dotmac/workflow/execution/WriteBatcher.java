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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Group commit for execution state. Writes queue up while a transaction is in flight and go
 * together into the next one, so the commit rate, not the number of executions in flight, bounds
 * the engine. Each caller's {@code Uni} completes only after its write has committed; a write
 * whose lease was lost fails alone, without its step rows, and does not fail the others.
 * <p>
 * A tenant with a hundred executions in flight fills every batch, and a batch of a hundred takes
 * a while: another tenant's one write would wait for the batch in flight, then go in the next as
 * big. So the writes of tenants with few outstanding ({@value #SPARSE} or fewer) have a transaction
 * of their own beside the others', as a fair queue serves its sparse flows first. The two never
 * touch one execution's rows: an execution has one write at a time.
 */
final class WriteBatcher {

    /** Enough to amortise a commit; small enough to keep one transaction short. */
    private static final int MAX_BATCH = 256;
    /** Writes outstanding (queued or being written) up to which a tenant's writes may take the second transaction. */
    static final int SPARSE = 4;
    private static final Logger LOG = Logger.getLogger(WriteBatcher.class);

    private final Pool pool;
    // Guarded by this.
    private final List<Write> queue = new ArrayList<>();
    private final Map<String, Integer> outstanding = new HashMap<>();
    private boolean sparseRunning;
    private boolean othersRunning;

    WriteBatcher(Pool pool) {
        this.pool = pool;
    }

    /** Emits true if the execution was inserted, false if its idempotency key already existed. */
    Uni<Boolean> insert(String tenantId, String idempotencyKey, Tuple execution) {
        String key = idempotencyKey == null ? null : tenant(tenantId) + "\n" + idempotencyKey;
        return Uni.createFrom().emitter(emitter -> submit(new Write(null, key, tenant(tenantId), execution, List.of(), emitter, true)));
    }

    /** Emits the execution's cancel flag after the fenced update and its steps committed. */
    Uni<Boolean> checkpoint(UUID executionId, String tenantId, Tuple execution, List<Tuple> steps) {
        return Uni.createFrom().emitter(emitter -> submit(new Write(executionId, null, tenant(tenantId), execution, steps, emitter, false)));
    }

    private void submit(Write write) {
        synchronized (this) {
            queue.add(write);
            outstanding.merge(write.tenant, 1, Integer::sum);
        }
        flush();
    }

    // Starts what may start now: the sparse tenants' writes in their own transaction, the others'
    // in the other one, which takes sparse writes only when it has none of its own and theirs is busy.
    private void flush() {
        while (true) {
            List<Write> batch;
            boolean sparse;
            synchronized (this) {
                sparse = !sparseRunning;
                batch = sparse ? take(this::sparse) : List.of();
                if (batch.isEmpty() && !othersRunning) {
                    sparse = false;
                    batch = take(w -> !sparse(w));
                    if (batch.isEmpty() && sparseRunning) {
                        batch = take(w -> true);
                    }
                }
                if (batch.isEmpty()) {
                    return;
                }
                if (sparse) {
                    sparseRunning = true;
                } else {
                    othersRunning = true;
                }
            }
            start(batch, sparse);
        }
    }

    private boolean sparse(Write w) {
        return outstanding.getOrDefault(w.tenant, 0) <= SPARSE;
    }

    // The first MAX_BATCH queued writes that match, in the order they came.
    private List<Write> take(Predicate<Write> which) {
        List<Write> batch = new ArrayList<>();
        List<Write> rest = new ArrayList<>(queue.size());
        for (Write w : queue) {
            (batch.size() < MAX_BATCH && which.test(w) ? batch : rest).add(w);
        }
        queue.clear();
        queue.addAll(rest);
        return batch;
    }

    private void start(List<Write> batch, boolean sparse) {
        // Inserts in key order, then updates in id order: two transactions locking rows (or
        // idempotency keys) in one order cannot deadlock.
        batch.sort(Comparator.comparing((Write w) -> w.insert).reversed()
                .thenComparing(w -> w.key, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(w -> w.executionId, Comparator.nullsFirst(Comparator.naturalOrder())));
        pool.withTransaction(conn -> write(conn, batch)).subscribe().with(
                outcomes -> finish(batch, outcomes, sparse),
                failure -> isolate(batch, sparse));
    }

    // A failed batch is tried again one write at a time: one bad write (a value PostgreSQL refuses)
    // must not fail the others, and a write that was alone gets a second try after a passing error
    // (a deadlock, a dropped connection) rather than failing its execution.
    private void isolate(List<Write> batch, boolean sparse) {
        Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(w -> pool.withTransaction(conn -> write(conn, List.of(w)))
                        .map(outcomes -> outcomes.get(0))
                        .onFailure().recoverWithItem(failure -> failure)
                        .invoke(outcome -> complete(w, outcome)))
                .collect().asList()
                .subscribe().with(done -> release(sparse), failure -> release(sparse));
    }

    private Uni<List<Object>> write(SqlConnection conn, List<Write> batch) {
        List<Write> inserts = batch.stream().filter(w -> w.insert).toList();
        List<Write> updates = batch.stream().filter(w -> !w.insert).toList();
        List<Object> outcomes = new ArrayList<>(batch.size());
        return executeBatch(conn, ExecutionSql.INSERT_EXECUTION, inserts)
                .chain(insertRows -> {
                    List<Boolean> created = rowCounts(insertRows, inserts.size()).stream().map(n -> n == 1).toList();
                    return executeBatch(conn, ExecutionSql.UPDATE_EXECUTION, updates).chain(updateRows -> {
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
                        return executeTuples(conn, ExecutionSql.UPSERT_STEP, steps).map(ignored -> {
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
    private void finish(List<Write> batch, List<Object> outcomes, boolean sparse) {
        try {
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i), outcomes.get(i));
            }
        } finally {
            release(sparse);
        }
    }

    // A caller's continuation that throws must not keep the other callers from hearing of their writes.
    private void complete(Write w, Object outcome) {
        synchronized (this) {
            outstanding.computeIfPresent(w.tenant, (t, n) -> n <= 1 ? null : n - 1);
        }
        try {
            if (outcome instanceof Throwable t) {
                w.emitter.fail(t);
            } else {
                w.emitter.complete((Boolean) outcome);
            }
        } catch (Throwable e) {
            // Even an Error (a stack overflow in the caller's next step) leaves the others' outcomes to be told.
            LOG.errorf(e, "a caller of the write batcher failed on its outcome");
        }
    }

    private void release(boolean sparse) {
        synchronized (this) {
            if (sparse) {
                sparseRunning = false;
            } else {
                othersRunning = false;
            }
        }
        flush();
    }

    // The store groups executions without a tenant under ''.
    private static String tenant(String tenantId) {
        return tenantId == null ? "" : tenantId;
    }

    /** {@code key}: an insert's tenant and idempotency key, the order inserts take. */
    private record Write(UUID executionId, String key, String tenant, Tuple execution, List<Tuple> steps, UniEmitter<? super Boolean> emitter,
                         boolean insert) {
    }
}
