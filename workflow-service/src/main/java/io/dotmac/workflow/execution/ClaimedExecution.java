package io.dotmac.workflow.execution;

import java.util.Map;
import java.util.UUID;

/**
 * An unfinished execution this instance has just taken the lease of, with the row of its current
 * step if any (while compensating, the row of the undo under way).
 */
public record ClaimedExecution(
        UUID id,
        long workflowId,
        String tenantId,
        Map<String, Object> context,
        /** The context's length as stored JSON, in characters (about its size in bytes). */
        long contextBytes,
        int currentStep,
        int runNumber,
        long runningTimeMs,
        boolean cancelRequested,
        String leaseToken,
        StepRecord currentStepRow,
        Integer compensationStep,
        String errorMessage,
        /** Claims since the last checkpoint, this one included. */
        int driverAttempts,
        /** Why the last of them ended abnormally, where that could be written. */
        String driverError,
        /** The trace it runs in (W3C traceparent), null if it has none. */
        String traceparent) {
}
