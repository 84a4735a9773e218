package io.dotmac.workflow.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.steps.transform.TransformStep;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ExecutionStore}, which every store passes ({@link PgExecutionStoreTest},
 * {@link InMemoryExecutionStoreTest}), with two owners standing for two engine instances: leases fence
 * every write, claims never hand one execution to both, and are fair across tenants.
 */
abstract class ExecutionStoreContract {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration LEASE = Duration.ofSeconds(30);
    static final WorkflowDefinition DEFINITION = new WorkflowDefinition("contract", "1.0.0", null, List.of(),
            List.of(new TransformStep("a", true, null, Map.of("x", 1), null)),
            List.of(), List.of(), null);

    abstract ExecutionStore store();

    /** A stored workflow the executions are of. */
    abstract long workflowId();

    /** Lets the execution's lease run out. */
    abstract void expire(UUID id);

    /** An event received on {@code topic} with {@code key}, as the inbox records it. */
    abstract void received(String topic, String key);

    UUID insert(String token, String idempotencyKey) {
        UUID id = UUID.randomUUID();
        return store().insert(new NewExecution(id, workflowId(), "contract", "1.0.0", Map.of("amount", new BigDecimal("10.50")),
                "manual", "test", "tenant-a", idempotencyKey, null), token, LEASE).await().atMost(WAIT).id();
    }

    ExecutionState state(UUID id, String token) {
        return new ExecutionState(id, token, "tenant-a", DEFINITION,
                new LinkedHashMap<>(Map.of("amount", new BigDecimal("10.50"))), 1, 0, 0, Instant.now());
    }

    List<ClaimedExecution> claim(String owner) {
        return store().claimDue(owner, 1000, LEASE, List.of(), 1000, Map.of()).await().atMost(WAIT);
    }

    static Throwable failureOf(io.smallrye.mutiny.Uni<?> uni) {
        return uni.onItem().<Throwable>transform(x -> null).onFailure().recoverWithItem(e -> e).await().atMost(WAIT);
    }

    UUID insertFor(String tenant) {
        UUID id = UUID.randomUUID();
        store().insert(new NewExecution(id, workflowId(), "contract", "1.0.0", Map.of(), "manual", "test", tenant, null, null), null, LEASE)
                .await().atMost(WAIT);
        return id;
    }

    ExecutionState waitingAnHour(UUID id) {
        ExecutionState s = state(id, "owner-a:1");
        s.status = ExecutionStatus.WAITING;
        s.nextWakeAt = Instant.now().plus(Duration.ofHours(1));
        return s;
    }

    @Test
    void theSameIdempotencyKeyStoresOneExecution() {
        String key = "k-" + UUID.randomUUID();
        UUID first = insert("owner-a", key);

        assertEquals(first, insert("owner-a", key));
    }

    @Test
    void anotherDriverCanNeitherClaimNorWriteALeasedExecution() {
        UUID id = insert("owner-a:1", null);

        assertTrue(claim("owner-b").stream().noneMatch(c -> c.id().equals(id)), "a live lease is never claimed");
        assertInstanceOf(LeaseLostException.class, failureOf(store().checkpoint(state(id, "owner-b:1"), LEASE)));
        // The same process with another driver's token is fenced out too.
        assertInstanceOf(LeaseLostException.class, failureOf(store().checkpoint(state(id, "owner-a:2"), LEASE)));
    }

    @Test
    void anExpiredLeaseIsClaimedOnceAndFencesTheOldDriver() {
        UUID id = insert("owner-a:1", null);
        expire(id);

        ClaimedExecution claimed = claim("owner-b").stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        assertTrue(claimed.leaseToken().startsWith("owner-b:"), claimed.leaseToken());
        assertTrue(claim("owner-c").stream().noneMatch(c -> c.id().equals(id)), "claimed by one driver at a time");

        assertInstanceOf(LeaseLostException.class, failureOf(store().checkpoint(state(id, "owner-a:1"), LEASE)),
                "the old driver's late write is refused");
        assertEquals(1, store().renewLeases(Map.of(id, claimed.leaseToken()), LEASE).await().atMost(WAIT));
        assertEquals(0, store().renewLeases(Map.of(id, "owner-a:1"), LEASE).await().atMost(WAIT));
        assertFalse(store().checkpoint(state(id, claimed.leaseToken()), LEASE).await().atMost(WAIT));
    }

    @Test
    void anExecutionBeingDrivenHereIsNotClaimedAgainEvenWithAnExpiredLease() {
        UUID id = insert("owner-a:1", null);
        expire(id);

        assertTrue(store().claimDue("owner-a", 1000, LEASE, List.of(id), 1000, Map.of()).await().atMost(WAIT).stream()
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
        List<UUID> first = store().claimDue("owner-f", 1000, LEASE, List.of(), 6, Map.of()).await().atMost(WAIT).stream()
                .map(ClaimedExecution::id).toList();
        assertTrue(first.containsAll(List.of(calmOne, calmTwo)), first::toString);
        assertEquals(6, first.stream().filter(floods::contains).count());
        // With no room left for the flood, it gets nothing, however much of it is due.
        List<UUID> second = store().claimDue("owner-f", 1000, LEASE, first, 6, Map.of(flood, 0)).await().atMost(WAIT).stream()
                .map(ClaimedExecution::id).toList();
        assertTrue(second.stream().noneMatch(floods::contains), second::toString);
    }

    @Test
    void aWakeWhileDrivenIsKeptUntilTheExecutionWaitsAgain() {
        UUID id = insert("owner-a:1", null);
        assertTrue(store().wake(id).await().atMost(WAIT), "an unfinished execution takes the request");

        ExecutionState s = state(id, "owner-a:1");
        s.status = ExecutionStatus.WAITING;
        s.nextWakeAt = Instant.now().plus(Duration.ofHours(1));
        store().checkpoint(s, LEASE).await().atMost(WAIT);

        assertTrue(claim("owner-b").stream().anyMatch(c -> c.id().equals(id)), "due at once, not in an hour");
    }

    @Test
    void aWaitingExecutionReleasesItsLeaseAndIsWokenAndCancelled() {
        UUID id = insert("owner-a:1", null);
        ExecutionState s = waitingAnHour(id);
        store().checkpoint(s, LEASE).await().atMost(WAIT);

        assertTrue(claim("owner-b").stream().noneMatch(c -> c.id().equals(id)), "not due before its wake-up time");
        assertTrue(store().wake(id).await().atMost(WAIT));
        assertEquals(ExecutionStatus.CANCELLED, store().requestCancel(id).await().atMost(WAIT).status());
        assertFalse(store().wake(id).await().atMost(WAIT), "a cancelled execution cannot be woken");
        assertNull(store().requestCancel(id).await().atMost(WAIT));
    }

    @Test
    void anEventRecordedAsTheExecutionBeganToWaitMakesItDue() {
        UUID id = insert("owner-a:1", null);
        ExecutionState s = waitingAnHour(id);
        s.waitEvent = "billing.payment.updated";
        s.waitKey = "pay-" + UUID.randomUUID();
        s.wakeEventsSince = Instant.EPOCH;
        store().checkpoint(s, LEASE).await().atMost(WAIT);
        assertFalse(store().wakeIfItsEventCame(id, s.waitEvent, s.waitKey, s.wakeEventsSince).await().atMost(WAIT),
                "no event: it waits");

        // Recorded while its checkpoint was committed: the checkpoint did not see it, wakeWaitingOn found it not waiting.
        received(s.waitEvent, s.waitKey);
        assertFalse(store().wakeIfItsEventCame(id, s.waitEvent, s.waitKey, Instant.now().plusSeconds(60)).await().atMost(WAIT),
                "an event before the wait began does not count");
        assertTrue(store().wakeIfItsEventCame(id, s.waitEvent, s.waitKey, s.wakeEventsSince).await().atMost(WAIT));

        assertTrue(claim("owner-b").stream().anyMatch(c -> c.id().equals(id)), "due now");
    }

    @Test
    void cancellingADrivenExecutionFlagsIt() {
        UUID id = insert("owner-a:1", null);

        assertEquals(ExecutionStatus.RUNNING, store().requestCancel(id).await().atMost(WAIT).status());
        assertTrue(store().checkpoint(state(id, "owner-a:1"), LEASE).await().atMost(WAIT), "the driver learns of it at its next checkpoint");
    }

    @Test
    void cancelFlagsReadAtOnceAreEachTheirExecutions() {
        List<UUID> ids = java.util.stream.IntStream.range(0, 40).mapToObj(i -> insert("owner-a:1", null)).toList();
        for (int i = 0; i < ids.size(); i += 3) {
            store().requestCancel(ids.get(i)).await().atMost(WAIT);
        }
        // Asked together (some twice, one unknown): they share queries, each hears of its own execution.
        List<io.smallrye.mutiny.Uni<Boolean>> reads = new java.util.ArrayList<>();
        for (UUID id : ids) {
            reads.add(store().cancelRequested(id, "owner-a:1"));
            reads.add(store().cancelRequested(id, "owner-a:1"));
        }
        List<Boolean> flags = io.smallrye.mutiny.Uni.join().all(reads).andFailFast().await().atMost(WAIT);

        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i % 3 == 0, flags.get(2 * i), "execution " + i);
            assertEquals(i % 3 == 0, flags.get(2 * i + 1), "execution " + i + ", read twice");
        }
        // Fenced like a write: another driver's token, or no such execution, hears that the lease is lost.
        assertTrue(failureOf(store().cancelRequested(ids.get(1), "owner-b:1")) instanceof LeaseLostException);
        assertTrue(failureOf(store().cancelRequested(UUID.randomUUID(), "owner-a:1")) instanceof LeaseLostException);
    }

    @Test
    void onlyAFailedExecutionIsRetried() {
        UUID id = insert("owner-a:1", null);
        assertFalse(store().retry(id).await().atMost(WAIT));
        ExecutionState s = state(id, "owner-a:1");
        s.status = ExecutionStatus.FAILED;
        s.errorMessage = "execution ran for longer than 3600 s";
        s.runningTimeMs = 3_600_001;
        s.completedAt = Instant.now();
        store().checkpoint(s, LEASE).await().atMost(WAIT);

        assertTrue(store().retry(id).await().atMost(WAIT));
        ClaimedExecution claimed = claim("owner-b").stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
        assertEquals(2, claimed.runNumber());
        assertEquals(0, claimed.currentStep());
        assertEquals(0, claimed.runningTimeMs(), "a retried run gets the whole execution timeout again");
    }
}
