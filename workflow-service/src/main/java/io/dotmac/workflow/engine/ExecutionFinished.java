package io.dotmac.workflow.engine;

import io.dotmac.workflow.execution.ExecutionStatus;
import java.util.UUID;

/**
 * CDI event fired once an execution's terminal state has committed: COMPLETED, FAILED or CANCELLED
 * by its driver, or CANCELLED at once by a cancel request when nobody drove it. Observers run on
 * the engine's thread and must not block.
 */
public record ExecutionFinished(UUID executionId, String workflowName, String workflowVersion, String tenantId,
                                ExecutionStatus status, long runningTimeMs) {
}
