package io.dotmac.workflow.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ExecutionStoreContract} against the real database, and what only PostgreSQL does: the rows a
 * checkpoint writes, and the write batcher's transactions (one refused row, one tenant's batch).
 */
@QuarkusTest
@TestProfile(NoPollingProfile.class)
class PgExecutionStoreTest extends ExecutionStoreContract {

    @Inject
    ExecutionStore store;

    @Inject
    Pool pool;

    long workflowId;

    @BeforeEach
    void workflow() {
        workflowId = pool.query("""
                INSERT INTO workflows (name, version, definition)
                VALUES ('contract-' || gen_random_uuid(), '1.0.0',
                        '{"name": "contract", "version": "1.0.0", "steps": [{"name": "a", "type": "transform", "set": {"x": 1}}]}')
                RETURNING id""").execute().await().atMost(WAIT).iterator().next().getLong(0);
    }





    @Override
    ExecutionStore store() {
        return store;
    }

    @Override
    long workflowId() {
        return workflowId;
    }

    @Override
    void expire(UUID id) {
        pool.preparedQuery("UPDATE workflow_executions SET lease_expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(WAIT);
    }

    @Override
    void received(String topic, String key) {
        pool.preparedQuery("""
                INSERT INTO inbox_events (source, event_id, topic, event_key, payload) VALUES ('/billing-service', $1, $2, $3, '{}')""")
                .execute(Tuple.of(UUID.randomUUID().toString(), topic, key)).await().atMost(WAIT);
    }


    @Test
    void aCheckpointWritesStateAndStepsAndReturnsTheCancelFlag() {
        UUID id = insert("owner-a:1", null);
        ExecutionState s = state(id, "owner-a:1");
        StepRecord step = new StepRecord(id, 1, 0, "a", "transform", Instant.now());
        step.output = Map.of("x", 1);
        step.finish(StepStatus.COMPLETED, Instant.now());
        s.markDirty(step);
        s.context.put("x", 1);
        s.currentStep = 1;

        assertFalse(store.checkpoint(s, LEASE).await().atMost(WAIT));

        var row = pool.preparedQuery("""
                SELECT e.current_step, e.context->>'amount', s.status, s.output_data->>'x', e.lease_owner
                  FROM workflow_executions e JOIN workflow_steps s ON s.execution_id = e.id WHERE e.id = $1""")
                .execute(Tuple.of(id)).await().atMost(WAIT).iterator().next();
        assertEquals(1, row.getInteger(0));
        assertEquals("10.50", row.getString(1), "decimals keep their digits");
        assertEquals("completed", row.getString(2));
        assertEquals("1", row.getString(3));
        assertEquals("owner-a:1", row.getString(4), "a running execution keeps its lease");
    }







    @Test
    void oneWriteThatPostgresqlRefusesFailsAloneInItsBatch() {
        List<ExecutionState> states = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ExecutionState s = state(insert("owner-a:" + i, null), "owner-a:" + i);
            s.currentStep = 1;
            states.add(s);
        }
        ExecutionState bad = states.get(3);
        bad.currentStep = 0;
        // PostgreSQL refuses the NUL character in text: the row cannot be written.
        StepRecord badStep = new StepRecord(bad.id, 1, 0, "a\u0000b", "transform", Instant.now());
        badStep.finish(StepStatus.COMPLETED, Instant.now());
        bad.markDirty(badStep);

        // The first two go at once, one in each transaction; the other four queue and share the next.
        List<Object> outcomes = io.smallrye.mutiny.Uni.join().all(states.stream().map(this::outcome).toList())
                .andFailFast().await().atMost(WAIT);

        assertInstanceOf(Throwable.class, outcomes.get(3), "the bad write fails alone");
        for (int i : List.of(0, 1, 2, 4, 5)) {
            assertEquals(false, outcomes.get(i), "a write batched with a bad one still commits");
            assertEquals(1, pool.preparedQuery("SELECT current_step FROM workflow_executions WHERE id = $1")
                    .execute(Tuple.of(states.get(i).id)).await().atMost(WAIT).iterator().next().getInteger(0));
        }
    }

    @Test
    void aTenantWithFewWritesIsNotHeldBehindAnotherTenantsBatch() {
        String heavy = "heavy-" + UUID.randomUUID();
        List<ExecutionState> heavies = new ArrayList<>();
        for (int i = 0; i < WriteBatcher.SPARSE + 2; i++) {
            heavies.add(stateFor(heavy, "owner-h:" + i));
        }
        ExecutionState light = stateFor("light-" + UUID.randomUUID(), "owner-l:1");
        // Other transactions hold the heavy tenant's rows: whichever of ours writes them waits.
        Holder firstHolder = hold(heavies.subList(0, 1));
        Holder restHolder = hold(heavies.subList(1, heavies.size()));
        try {
            // The first write goes alone into the transaction for tenants with few writes; the
            // second into the other; the rest queue, and the tenant has more than a few outstanding.
            List<CompletableFuture<Boolean>> written = heavies.stream()
                    .map(s -> store.checkpoint(s, LEASE).subscribeAsCompletionStage()).toList();
            firstHolder.release();
            assertFalse(written.get(0).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());

            assertFalse(store.checkpoint(light, LEASE).await().atMost(WAIT), "written while the heavy tenant's batch waits");
            assertTrue(written.stream().skip(1).noneMatch(CompletableFuture::isDone), "the heavy tenant's writes are still held");

            restHolder.release();
            written.forEach(w -> assertFalse(w.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join()));
        } finally {
            firstHolder.release();
            restHolder.release();
        }
    }

    private ExecutionState stateFor(String tenant, String token) {
        UUID id = UUID.randomUUID();
        store.insert(new NewExecution(id, workflowId, "contract", "1.0.0", Map.of(), "manual", "test", tenant, null, null), token, LEASE)
                .await().atMost(WAIT);
        return new ExecutionState(id, token, tenant, DEFINITION, new LinkedHashMap<>(), 1, 0, 0, Instant.now());
    }

    // A transaction that locks these executions' rows until it is released.
    private Holder hold(List<ExecutionState> states) {
        SqlConnection conn = pool.getConnection().await().atMost(WAIT);
        Transaction tx = conn.begin().await().atMost(WAIT);
        conn.preparedQuery("SELECT 1 FROM workflow_executions WHERE id = ANY($1) FOR UPDATE")
                .execute(Tuple.of(states.stream().map(s -> s.id).toArray(UUID[]::new))).await().atMost(WAIT);
        return new Holder(conn, tx, new java.util.concurrent.atomic.AtomicBoolean());
    }

    private record Holder(SqlConnection conn, Transaction tx, java.util.concurrent.atomic.AtomicBoolean released) {
        void release() {
            if (released.compareAndSet(false, true)) {
                tx.rollback().await().atMost(WAIT);
                conn.close().await().atMost(WAIT);
            }
        }
    }


    private io.smallrye.mutiny.Uni<Object> outcome(ExecutionState s) {
        return store.checkpoint(s, LEASE).onItem().<Object>transform(x -> x).onFailure().recoverWithItem(e -> e);
    }





}
