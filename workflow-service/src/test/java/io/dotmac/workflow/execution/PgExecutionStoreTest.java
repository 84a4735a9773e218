package io.dotmac.workflow.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.steps.transform.TransformStep;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
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
 * The contract of {@link ExecutionStore} against the real database, with two owners standing for
 * two engine instances: leases fence every write, claims never hand one execution to both.
 */
@QuarkusTest
@TestProfile(NoPollingProfile.class)
class PgExecutionStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final WorkflowDefinition DEFINITION = new WorkflowDefinition("contract", "1.0.0", null, List.of(),
            List.of(new TransformStep("a", true, null, Map.of("x", 1), null)),
            List.of(), List.of(), null);

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

    private UUID insert(String token, String idempotencyKey) {
        UUID id = UUID.randomUUID();
        return store.insert(new NewExecution(id, workflowId, "contract", "1.0.0", Map.of("amount", new java.math.BigDecimal("10.50")),
                "manual", "test", "tenant-a", idempotencyKey), token, LEASE).await().atMost(WAIT).id();
    }

    private ExecutionState state(UUID id, String token) {
        return new ExecutionState(id, token, "tenant-a", DEFINITION,
                new LinkedHashMap<>(Map.of("amount", new java.math.BigDecimal("10.50"))), 1, 0, 0, Instant.now());
    }

    private List<ClaimedExecution> claim(String owner) {
        return store.claimDue(owner, 1000, LEASE, List.of(), 1000, Map.of()).await().atMost(WAIT);
    }

    private static Throwable failureOf(io.smallrye.mutiny.Uni<?> uni) {
        return uni.onItem().<Throwable>transform(x -> null).onFailure().recoverWithItem(e -> e).await().atMost(WAIT);
    }

    private void expire(UUID id) {
        pool.preparedQuery("UPDATE workflow_executions SET lease_expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(WAIT);
    }

    @Test
    void theSameIdempotencyKeyStoresOneExecution() {
        String key = "k-" + UUID.randomUUID();
        UUID first = insert("owner-a", key);

        assertEquals(first, insert("owner-a", key));
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
    void anotherDriverCanNeitherClaimNorWriteALeasedExecution() {
        UUID id = insert("owner-a:1", null);

        assertTrue(claim("owner-b").stream().noneMatch(c -> c.id().equals(id)), "a live lease is never claimed");
        assertInstanceOf(LeaseLostException.class, failureOf(store.checkpoint(state(id, "owner-b:1"), LEASE)));
        // The same process with another driver's token is fenced out too.
        assertInstanceOf(LeaseLostException.class, failureOf(store.checkpoint(state(id, "owner-a:2"), LEASE)));
    }

    @Test
    void anExpiredLeaseIsClaimedOnceAndFencesTheOldDriver() {
        UUID id = insert("owner-a:1", null);
        expire(id);

        ClaimedExecution claimed = claim("owner-b").stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        assertTrue(claimed.leaseToken().startsWith("owner-b:"), claimed.leaseToken());
        assertTrue(claim("owner-c").stream().noneMatch(c -> c.id().equals(id)), "claimed by one driver at a time");

        assertInstanceOf(LeaseLostException.class, failureOf(store.checkpoint(state(id, "owner-a:1"), LEASE)),
                "the old driver's late write is refused");
        assertEquals(1, store.renewLeases(Map.of(id, claimed.leaseToken()), LEASE).await().atMost(WAIT));
        assertEquals(0, store.renewLeases(Map.of(id, "owner-a:1"), LEASE).await().atMost(WAIT));
        assertFalse(store.checkpoint(state(id, claimed.leaseToken()), LEASE).await().atMost(WAIT));
    }

    @Test
    void anExecutionBeingDrivenHereIsNotClaimedAgainEvenWithAnExpiredLease() {
        UUID id = insert("owner-a:1", null);
        expire(id);

        assertTrue(store.claimDue("owner-a", 1000, LEASE, List.of(id), 1000, Map.of()).await().atMost(WAIT).stream()
                .noneMatch(c -> c.id().equals(id)));
    }

    @Test
    void claimingTakesTheEarliestDueOfEveryTenantInTurnWithinEachTenantsRoom() {
        String flood = "flood-" + UUID.randomUUID();
        String calm = "calm-" + UUID.randomUUID();
        List<UUID> floods = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            floods.add(insertFor(flood));
        }
        UUID calmOne = insertFor(calm);
        UUID calmTwo = insertFor(calm);

        // 30 of the flood's are due before them: the calm tenant's two are claimed, and no more of the
        // flood than a tenant's room.
        List<UUID> first = store.claimDue("owner-f", 1000, LEASE, List.of(), 6, Map.of()).await().atMost(WAIT).stream()
                .map(ClaimedExecution::id).toList();
        assertTrue(first.containsAll(List.of(calmOne, calmTwo)), first::toString);
        assertEquals(6, first.stream().filter(floods::contains).count());
        // With no room left for the flood, it gets nothing, however much of it is due.
        List<UUID> second = store.claimDue("owner-f", 1000, LEASE, first, 6, Map.of(flood, 0)).await().atMost(WAIT).stream()
                .map(ClaimedExecution::id).toList();
        assertTrue(second.stream().noneMatch(floods::contains), second::toString);
    }

    private UUID insertFor(String tenant) {
        UUID id = UUID.randomUUID();
        store.insert(new NewExecution(id, workflowId, "contract", "1.0.0", Map.of(), "manual", "test", tenant, null), null, LEASE)
                .await().atMost(WAIT);
        return id;
    }

    @Test
    void aWakeWhileDrivenIsKeptUntilTheExecutionWaitsAgain() {
        UUID id = insert("owner-a:1", null);
        assertTrue(store.wake(id).await().atMost(WAIT), "an unfinished execution takes the request");

        ExecutionState s = state(id, "owner-a:1");
        s.status = ExecutionStatus.WAITING;
        s.nextWakeAt = Instant.now().plus(Duration.ofHours(1));
        store.checkpoint(s, LEASE).await().atMost(WAIT);

        assertTrue(claim("owner-b").stream().anyMatch(c -> c.id().equals(id)), "due at once, not in an hour");
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
        store.insert(new NewExecution(id, workflowId, "contract", "1.0.0", Map.of(), "manual", "test", tenant, null), token, LEASE)
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

    private ExecutionState waitingAnHour(UUID id) {
        ExecutionState s = state(id, "owner-a:1");
        s.status = ExecutionStatus.WAITING;
        s.nextWakeAt = Instant.now().plus(Duration.ofHours(1));
        return s;
    }

    private io.smallrye.mutiny.Uni<Object> outcome(ExecutionState s) {
        return store.checkpoint(s, LEASE).onItem().<Object>transform(x -> x).onFailure().recoverWithItem(e -> e);
    }

    @Test
    void aWaitingExecutionReleasesItsLeaseAndIsWokenAndCancelled() {
        UUID id = insert("owner-a:1", null);
        ExecutionState s = waitingAnHour(id);
        store.checkpoint(s, LEASE).await().atMost(WAIT);

        assertTrue(claim("owner-b").stream().noneMatch(c -> c.id().equals(id)), "not due before its wake-up time");
        assertTrue(store.wake(id).await().atMost(WAIT));
        assertEquals(ExecutionStatus.CANCELLED, store.requestCancel(id).await().atMost(WAIT).status());
        assertFalse(store.wake(id).await().atMost(WAIT), "a cancelled execution cannot be woken");
        assertNull(store.requestCancel(id).await().atMost(WAIT));
    }

    @Test
    void anEventRecordedAsTheExecutionBeganToWaitMakesItDue() {
        UUID id = insert("owner-a:1", null);
        ExecutionState s = waitingAnHour(id);
        s.waitEvent = "billing.payment.updated";
        s.waitKey = "pay-" + UUID.randomUUID();
        s.wakeEventsSince = Instant.EPOCH;
        store.checkpoint(s, LEASE).await().atMost(WAIT);
        assertFalse(store.wakeIfItsEventCame(id, s.waitEvent, s.waitKey, s.wakeEventsSince).await().atMost(WAIT),
                "no event: it waits");

        // Recorded while its checkpoint was committed: the checkpoint did not see it, wakeWaitingOn found it not waiting.
        pool.preparedQuery("""
                INSERT INTO inbox_events (source, event_id, topic, event_key, payload) VALUES ('/billing-service', $1, $2, $3, '{}')""")
                .execute(Tuple.of(UUID.randomUUID().toString(), s.waitEvent, s.waitKey)).await().atMost(WAIT);
        assertFalse(store.wakeIfItsEventCame(id, s.waitEvent, s.waitKey, Instant.now().plusSeconds(60)).await().atMost(WAIT),
                "an event before the wait began does not count");
        assertTrue(store.wakeIfItsEventCame(id, s.waitEvent, s.waitKey, s.wakeEventsSince).await().atMost(WAIT));

        assertTrue(claim("owner-b").stream().anyMatch(c -> c.id().equals(id)), "due now");
    }

    @Test
    void cancellingADrivenExecutionFlagsIt() {
        UUID id = insert("owner-a:1", null);

        assertEquals(ExecutionStatus.RUNNING, store.requestCancel(id).await().atMost(WAIT).status());
        assertTrue(store.checkpoint(state(id, "owner-a:1"), LEASE).await().atMost(WAIT), "the driver learns of it at its next checkpoint");
    }

    @Test
    void cancelFlagsReadAtOnceAreEachTheirExecutions() {
        List<UUID> ids = java.util.stream.IntStream.range(0, 40).mapToObj(i -> insert("owner-a:1", null)).toList();
        for (int i = 0; i < ids.size(); i += 3) {
            store.requestCancel(ids.get(i)).await().atMost(WAIT);
        }
        // Asked together (some twice, one unknown): they share queries, each hears of its own execution.
        List<io.smallrye.mutiny.Uni<Boolean>> reads = new java.util.ArrayList<>();
        for (UUID id : ids) {
            reads.add(store.cancelRequested(id, "owner-a:1"));
            reads.add(store.cancelRequested(id, "owner-a:1"));
        }
        List<Boolean> flags = io.smallrye.mutiny.Uni.join().all(reads).andFailFast().await().atMost(WAIT);

        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i % 3 == 0, flags.get(2 * i), "execution " + i);
            assertEquals(i % 3 == 0, flags.get(2 * i + 1), "execution " + i + ", read twice");
        }
        // Fenced like a write: another driver's token, or no such execution, hears that the lease is lost.
        assertTrue(failureOf(store.cancelRequested(ids.get(1), "owner-b:1")) instanceof LeaseLostException);
        assertTrue(failureOf(store.cancelRequested(UUID.randomUUID(), "owner-a:1")) instanceof LeaseLostException);
    }

    @Test
    void onlyAFailedExecutionIsRetried() {
        UUID id = insert("owner-a:1", null);
        assertFalse(store.retry(id).await().atMost(WAIT));
        ExecutionState s = state(id, "owner-a:1");
        s.status = ExecutionStatus.FAILED;
        s.errorMessage = "execution ran for longer than 3600 s";
        s.runningTimeMs = 3_600_001;
        s.completedAt = Instant.now();
        store.checkpoint(s, LEASE).await().atMost(WAIT);

        assertTrue(store.retry(id).await().atMost(WAIT));
        ClaimedExecution claimed = claim("owner-b").stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        assertEquals(2, claimed.runNumber());
        assertEquals(0, claimed.currentStep());
        assertEquals(0, claimed.runningTimeMs(), "a retried run gets the whole execution timeout again");
    }
}
