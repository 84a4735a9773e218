package io.dotmac.workflow.bench;

import io.dotmac.workflow.engine.ExecutionFinished;
import io.dotmac.workflow.execution.ExecutionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * Matches the benchmark's starts with the engine's {@link ExecutionFinished} events (in either
 * order: a short execution may finish before its start call has returned), frees an in-flight slot
 * per finish and keeps the latencies.
 */
@ApplicationScoped
public class FinishedTracker {

    private final Map<UUID, Long> started = new HashMap<>();
    private final Map<UUID, ExecutionFinished> finishedEarly = new HashMap<>();
    private final Map<UUID, Long> finishedEarlyAt = new HashMap<>();
    private final List<Long> latenciesNanos = new ArrayList<>();
    private int notCompleted;
    private Semaphore slots = new Semaphore(0);

    synchronized void reset(Semaphore newSlots) {
        slots = newSlots;
        latenciesNanos.clear();
        notCompleted = 0;
    }

    synchronized void started(UUID id, long startNanos) {
        ExecutionFinished early = finishedEarly.remove(id);
        if (early != null) {
            complete(early, finishedEarlyAt.remove(id) - startNanos);
        } else {
            started.put(id, startNanos);
        }
    }

    void onFinished(@Observes ExecutionFinished finished) {
        long now = System.nanoTime();
        synchronized (this) {
            Long start = started.remove(finished.executionId());
            if (start != null) {
                complete(finished, now - start);
            } else {
                finishedEarly.put(finished.executionId(), finished);
                finishedEarlyAt.put(finished.executionId(), now);
            }
        }
    }

    private void complete(ExecutionFinished finished, long latency) {
        if (finished.status() != ExecutionStatus.COMPLETED) {
            notCompleted++;
        }
        latenciesNanos.add(latency);
        slots.release();
    }

    synchronized List<Long> latencies() {
        return new ArrayList<>(latenciesNanos);
    }

    synchronized int notCompleted() {
        return notCompleted;
    }

    synchronized int inFlight() {
        return started.size();
    }
}
