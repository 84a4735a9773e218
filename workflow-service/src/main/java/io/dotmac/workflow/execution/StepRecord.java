package io.dotmac.workflow.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code workflow_steps}: a step of one run of an execution, with its attempts. Mutable
 * while the runner works on it; written by the next checkpoint.
 */
public final class StepRecord {

    public final UUID executionId;
    public final int runNumber;
    public final int sequence;
    public final String name;
    public final String type;
    public StepStatus status = StepStatus.RUNNING;
    public Object input;
    public Object output;
    public String error;
    public int retryCount;
    public Instant startedAt;
    public Instant completedAt;
    public Instant waitUntil;
    /** The trace of the span this step last ran in, for a trace viewer. */
    public String traceId;

    public StepRecord(UUID executionId, int runNumber, int sequence, String name, String type, Instant startedAt) {
        this.executionId = executionId;
        this.runNumber = runNumber;
        this.sequence = sequence;
        this.name = name;
        this.type = type;
        this.startedAt = startedAt;
    }

    public void finish(StepStatus finalStatus, Instant at) {
        status = finalStatus;
        completedAt = at;
        waitUntil = null;
    }

    public Long durationMillis() {
        return completedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
    }
}
