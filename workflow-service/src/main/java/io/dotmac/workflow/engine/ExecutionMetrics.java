package io.dotmac.workflow.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/** Counts finished executions by workflow and status, with their running time, on /q/metrics. */
@ApplicationScoped
class ExecutionMetrics {

    private final MeterRegistry registry;

    ExecutionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void onFinished(@Observes ExecutionFinished finished) {
        Timer.builder("workflow.executions.finished")
                .description("Executions that reached a terminal status, with their running time (waiting excluded)")
                .tag("workflow", finished.workflowName())
                .tag("status", finished.status().name())
                .register(registry)
                .record(Duration.ofMillis(finished.runningTimeMs()));
    }
}
