package io.dotmac.workflow.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The API forms of the console's overview ({@code /api/v1/workflows/stats/...}), one tenant's:
 * durations in milliseconds (percentiles within about 5 %, from histograms), times in UTC.
 */
public final class Stats {

    private Stats() {
    }

    /**
     * The funnel of journeys over the range, lead to active (a stage's conversion is from the stage
     * before it), then a subscription's renewed, past_due, suspended and churned, counted only.
     */
    public record Funnel(String range, OffsetDateTime from, OffsetDateTime to, List<Stage> stages) {
    }

    /** How many journeys reached the stage, what share of the previous stage's that is, and the median time from it. */
    public record Stage(String stage, long reached, Double conversion, Long medianMsFromPrevious) {
    }

    /** Executions started and ended per workflow over the range, in bins of {@code bucketSeconds}. */
    public record Executions(String range, OffsetDateTime from, OffsetDateTime to, long bucketSeconds,
                             List<WorkflowExecutions> workflows) {
    }

    /** A workflow's totals over the range; {@code waiting} is now. {@code series}: only the bins with any count. */
    public record WorkflowExecutions(String workflow, long started, long completed, long failed, long cancelled, long waiting,
                                     List<Point> series) {
    }

    public record Point(OffsetDateTime time, long started, long completed, long failed, long cancelled) {
    }

    /** Steps that ended over the range, slowest (by p95) or most failing first. */
    public record Steps(String range, OffsetDateTime from, OffsetDateTime to, String sort, List<StepFigures> steps) {
    }

    public record StepFigures(String workflow, String step, long runs, long failed, long retries, Long p50Ms, Long p95Ms) {
    }

    /** What waits now: how many, the longest waiting, and those past their deadline (most overdue first). */
    public record Waiting(long waiting, List<WaitingExecution> longest, List<WaitingExecution> pastDeadline) {
    }

    public record WaitingExecution(UUID executionId, String workflow, String step, OffsetDateTime waitingSince,
                                   OffsetDateTime waitUntil) {
    }

    /**
     * Events over the range per topic: how many were taken in, how many went to the dead-letter
     * topic (those that named the tenant), how many are deferred now, their way here from their source.
     */
    public record Events(String range, OffsetDateTime from, OffsetDateTime to, List<TopicFigures> topics) {
    }

    public record TopicFigures(String topic, long received, long deadLettered, long deferred, Long lagP50Ms, Long lagP95Ms) {
    }
}
