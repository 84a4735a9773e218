package io.dotmac.workflow.execution;

import java.util.Map;
import java.util.UUID;

/** What starting an execution stores: the definition version it will keep, its trigger and context. */
public record NewExecution(
        UUID id,
        long workflowId,
        String workflowName,
        String workflowVersion,
        Map<String, Object> context,
        String triggerType,
        String triggerSource,
        String tenantId,
        String idempotencyKey,
        /** The trace it runs in (W3C traceparent): its steps' spans are children of it. */
        String traceparent) {
}
