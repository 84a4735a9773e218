package io.dotmac.workflow.execution;

/** Where an execution is; terminal statuses never change again except by an explicit retry. */
public enum ExecutionStatus {
    PENDING, RUNNING, WAITING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
