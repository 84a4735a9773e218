package io.dotmac.workflow.execution;

/** Where one step of one run of an execution is. */
public enum StepStatus {
    PENDING, RUNNING, WAITING, COMPLETED, FAILED, SKIPPED, CANCELLED
}
