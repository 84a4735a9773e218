package io.dotmac.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The gate's places are bounded, handed to the tenants in turn, and never lost to a caller that gave up or failed. */
class CallGateTest {

    private final List<String> admitted = new ArrayList<>();
    private final Map<String, CompletableFuture<String>> answers = new HashMap<>();

    // A call that records its admission and answers when the test says.
    private Uni<String> call(CallGate gate, String tenant, String name) {
        return gate.run(tenant, () -> {
            admitted.add(name);
            CompletableFuture<String> answer = new CompletableFuture<>();
            answers.put(name, answer);
            return Uni.createFrom().completionStage(answer);
        });
    }

    @Test
    void aFreedPlaceGoesToTheTenantsInTurnNotInArrivalOrder() {
        CallGate gate = new CallGate(1);
        call(gate, "a", "a1").subscribe().with(x -> { });
        call(gate, "a", "a2").subscribe().with(x -> { });
        call(gate, "a", "a3").subscribe().with(x -> { });
        call(gate, "a", "a4").subscribe().with(x -> { });
        call(gate, "b", "b1").subscribe().with(x -> { });
        call(gate, "b", "b2").subscribe().with(x -> { });
        assertEquals(List.of("a1"), admitted, "one place: one call at a time");

        for (String name : List.of("a1", "a2", "b1", "a3", "b2")) {
            answers.get(name).complete(name);
        }

        assertEquals(List.of("a1", "a2", "b1", "a3", "b2", "a4"), admitted);
    }

    @Test
    void placesAreBoundedAndGivenBackWhenACallFails() {
        CallGate gate = new CallGate(2);
        List<Throwable> failures = new ArrayList<>();
        call(gate, "a", "a1").subscribe().with(x -> { }, failures::add);
        call(gate, "a", "a2").subscribe().with(x -> { });
        call(gate, "b", "b1").subscribe().with(x -> { });
        assertEquals(List.of("a1", "a2"), admitted);

        answers.get("a1").completeExceptionally(new IllegalStateException("refused"));

        assertEquals(1, failures.size(), "the caller hears of the failure");
        assertEquals(List.of("a1", "a2", "b1"), admitted, "the failed call's place went to the next");
    }

    @Test
    void aCallerThatGivesUpWhileQueuedTakesNoPlace() {
        CallGate gate = new CallGate(1);
        call(gate, "a", "a1").subscribe().with(x -> { });
        Cancellable gaveUp = call(gate, "b", "b1").subscribe().with(x -> { });
        call(gate, "c", "c1").subscribe().with(x -> { });

        gaveUp.cancel();
        answers.get("a1").complete("a1");

        assertEquals(List.of("a1", "c1"), admitted, "the place skipped the caller that gave up");
        answers.get("c1").complete("c1");
        call(gate, "d", "d1").subscribe().with(x -> { });
        assertTrue(admitted.contains("d1"), "every place came back");
    }

    @Test
    void aCallCancelledWhileUnderWayGivesItsPlaceBack() {
        CallGate gate = new CallGate(1);
        Cancellable running = call(gate, "a", "a1").subscribe().with(x -> { });
        call(gate, "b", "b1").subscribe().with(x -> { });

        running.cancel();

        assertEquals(List.of("a1", "b1"), admitted);
    }
}
