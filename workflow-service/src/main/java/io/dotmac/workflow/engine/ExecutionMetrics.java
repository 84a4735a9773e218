package io.dotmac.workflow.engine;

import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.metrics.BoundedTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's counts on /q/metrics: executions started (by workflow and trigger type) and
 * finished (by workflow and terminal status, with their running time), step durations (by
 * workflow, step, step type and final status) and step retries. Tags are names, never ids, and
 * workflow and step names are folded by {@link BoundedTags}, so the number of series is bounded
 * whatever names tenants give their definitions.
 */
@ApplicationScoped
class ExecutionMetrics {

    /** From a transform's milliseconds to the days a condition may wait for a customer. */
    private static final Duration[] STEP_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7)};

    private final MeterRegistry registry;
    private final BoundedTags tags;
    // Steps are recorded on the engine's hot path: each series is looked up in the registry once.
    private final Map<StepSeries, Timer> stepDurations = new ConcurrentHashMap<>();
    private final Map<StepSeries, Counter> stepRetries = new ConcurrentHashMap<>();

    ExecutionMetrics(MeterRegistry registry, BoundedTags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    void started(String workflow, String triggerType) {
        Counter.builder("workflow.executions.started")
                .description("Executions started")
                .tag("workflow", workflow(workflow))
                .tag("trigger_type", triggerType == null ? "unknown" : triggerType)
                .register(registry)
                .increment();
    }

    /** A step reached its final status (completed, failed, skipped, cancelled); its duration includes retries and waits. */
    void stepFinished(String workflow, StepRecord step) {
        Long millis = step.durationMillis();
        if (millis == null) {
            return;
        }
        stepDurations.computeIfAbsent(new StepSeries(workflow(workflow), step(step.name), step.type, step.status.wire()),
                series -> Timer.builder("workflow.step.duration")
                        .description("Time from a step's start to its final status, retries and waits included")
                        .tag("workflow", series.workflow())
                        .tag("step", series.step())
                        .tag("type", series.type())
                        .tag("status", series.status())
                        .serviceLevelObjectives(STEP_BUCKETS)
                        .register(registry))
                .record(Duration.ofMillis(Math.max(0, millis)));
    }

    void stepRetried(String workflow, String step) {
        stepRetries.computeIfAbsent(new StepSeries(workflow(workflow), step(step), null, null),
                series -> Counter.builder("workflow.step.retries")
                        .description("Attempts of a step after a transient failure")
                        .tag("workflow", series.workflow())
                        .tag("step", series.step())
                        .register(registry))
                .increment();
    }

    void onFinished(@Observes ExecutionFinished finished) {
        Timer.builder("workflow.executions.finished")
                .description("Executions that reached a terminal status, with their running time (waiting excluded)")
                .tag("workflow", workflow(finished.workflowName()))
                .tag("status", finished.status().wire())
                .register(registry)
                .record(Duration.ofMillis(finished.runningTimeMs()));
    }

    private String workflow(String name) {
        return tags.fold("workflow", name);
    }

    private String step(String name) {
        return tags.fold("step", name);
    }

    private record StepSeries(String workflow, String step, String type, String status) {
    }
}
