package io.dotmac.workflow.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepType;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
            List.of(new StepDefinition("a", StepType.TRANSFORM, true, null, null, null, null, Map.of("x", 1), null, null)),
            List.of());

    @Inject
    ExecutionStore store;

    @Inject
    Pool pool;

    long workflowId;

    @BeforeEach
    void workflow() {
        workflowId = pool.query("""
                INSERT INTO workflows (name, version, definition) VALUES ('contract-' || gen_random_uuid(), '1.0.0', '{}')
                RETURNING id""").execute().await().atMost(WAIT).iterator().next().getLong(0);
    }

    private UUID insert(String owner, String idempotencyKey) {
        UUID id = UUID.randomUUID();
        return store.insert(new NewExecution(id, workflowId, "contract", "1.0.0", Map.of("amount", new java.math.BigDecimal("10.50")),
                "manual", "test", "tenant-a", idempotencyKey), owner, LEASE).await().atMost(WAIT).id();
    }

    private ExecutionState state(UUID id) {
        return new ExecutionState(id, "tenant-a", DEFINITION, new LinkedHashMap<>(Map.of("amount", new java.math.BigDecimal("10.50"))),
                1, 0, 0, Instant.now());
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
        UUID id = insert("owner-a", null);
        ExecutionState s = state(id);
        StepRecord step = new StepRecord(id, 1, 0, "a", "transform", Instant.now());
        step.output = Map.of("x", 1);
        step.finish(StepStatus.COMPLETED, Instant.now());
        s.markDirty(step);
        s.context.put("x", 1);
        s.currentStep = 1;

        assertFalse(store.checkpoint(s, "owner-a", LEASE).await().atMost(WAIT));

        var row = pool.preparedQuery("""
                SELECT e.current_step, e.context->>'amount', s.status, s.output_data->>'x', e.lease_owner
                  FROM workflow_executions e JOIN workflow_steps s ON s.execution_id = e.id WHERE e.id = $1""")
                .execute(Tuple.of(id)).await().atMost(WAIT).iterator().next();
        assertEquals(1, row.getInteger(0));
        assertEquals("10.50", row.getString(1), "decimals keep their digits");
        assertEquals("COMPLETED", row.getString(2));
        assertEquals("1", row.getString(3));
        assertEquals("owner-a", row.getString(4), "a running execution keeps its lease");
    }

    @Test
    void anotherOwnerCanNeitherClaimNorWriteALeasedExecution() {
        UUID id = insert("owner-a", null);

        List<ClaimedExecution> claimedByB = store.claimDue("owner-b", 1000, LEASE).await().atMost(WAIT);
        assertTrue(claimedByB.stream().noneMatch(c -> c.id().equals(id)), "a live lease is never claimed");

        Throwable lost = store.checkpoint(state(id), "owner-b", LEASE).onItem().<Throwable>transform(x -> null)
                .onFailure().recoverWithItem(e -> e).await().atMost(WAIT);
        assertInstanceOf(LeaseLostException.class, lost);
    }

    @Test
    void anExpiredLeaseIsClaimedOnceAndFencesTheOldOwner() {
        UUID id = insert("owner-a", null);
        expire(id);

        List<ClaimedExecution> claimed = store.claimDue("owner-b", 1000, LEASE).await().atMost(WAIT);
        assertTrue(claimed.stream().anyMatch(c -> c.id().equals(id)));
        assertTrue(store.claimDue("owner-c", 1000, LEASE).await().atMost(WAIT).stream().noneMatch(c -> c.id().equals(id)),
                "claimed by one owner at a time");

        Throwable lost = store.checkpoint(state(id), "owner-a", LEASE).onItem().<Throwable>transform(x -> null)
                .onFailure().recoverWithItem(e -> e).await().atMost(WAIT);
        assertInstanceOf(LeaseLostException.class, lost, "the old owner's late write is refused");
        assertEquals(1, store.renewLeases("owner-b", List.of(id), LEASE).await().atMost(WAIT));
        assertEquals(0, store.renewLeases("owner-a", List.of(id), LEASE).await().atMost(WAIT));
    }

    @Test
    void aWaitingExecutionReleasesItsLeaseAndIsWokenAndCancelled() {
        UUID id = insert("owner-a", null);
        ExecutionState s = state(id);
        s.status = ExecutionStatus.WAITING;
        s.nextWakeAt = Instant.now().plus(Duration.ofHours(1));
        store.checkpoint(s, "owner-a", LEASE).await().atMost(WAIT);

        assertTrue(store.claimDue("owner-b", 1000, LEASE).await().atMost(WAIT).stream().noneMatch(c -> c.id().equals(id)),
                "not due before its wake-up time");
        assertTrue(store.wake(id).await().atMost(WAIT));
        assertEquals(ExecutionStatus.CANCELLED, store.requestCancel(id).await().atMost(WAIT));
        assertFalse(store.wake(id).await().atMost(WAIT), "a cancelled execution cannot be woken");
        assertNull(store.requestCancel(id).await().atMost(WAIT));
    }

    @Test
    void cancellingADrivenExecutionFlagsIt() {
        UUID id = insert("owner-a", null);

        assertEquals(ExecutionStatus.RUNNING, store.requestCancel(id).await().atMost(WAIT));
        assertTrue(store.checkpoint(state(id), "owner-a", LEASE).await().atMost(WAIT), "the driver learns of it at its next checkpoint");
    }

    @Test
    void onlyAFailedExecutionIsRetried() {
        UUID id = insert("owner-a", null);
        assertFalse(store.retry(id).await().atMost(WAIT));
        ExecutionState s = state(id);
        s.status = ExecutionStatus.FAILED;
        s.errorMessage = "step 'a' failed";
        s.completedAt = Instant.now();
        store.checkpoint(s, "owner-a", LEASE).await().atMost(WAIT);

        assertTrue(store.retry(id).await().atMost(WAIT));
        ClaimedExecution claimed = store.claimDue("owner-b", 1000, LEASE).await().atMost(WAIT).stream()
                .filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        assertEquals(2, claimed.runNumber());
        assertEquals(0, claimed.currentStep());
    }
}
