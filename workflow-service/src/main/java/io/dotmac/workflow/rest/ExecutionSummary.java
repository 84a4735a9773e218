package io.dotmac.workflow.rest;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One execution as a list shows it, with the original guide's fields ({@code id},
 * {@code workflow_id}, {@code status}, {@code error_message}, {@code started_at},
 * {@code completed_at}, {@code trigger_type}, {@code trigger_source}, {@code tenant_id},
 * {@code created_at}, {@code updated_at}) and ours beside them. A waiting one names the event
 * that wakes it and its key ({@code waitEvent}, {@code waitKey}; null when only the periodic check
 * wakes it), since when it waits and its deadline; {@code businessKeys} are up to 8 of its
 * context's top-level strings and numbers (mostly its inputs: lead_id, quote_id, ...).
 * {@code compensated}: it undid, or is undoing, its completed steps (it cannot be retried or
 * cancelled). {@code workflowId} is the stored definition version it runs.
 */
public record ExecutionSummary(UUID id, long workflowId, String workflowName, String workflowVersion, String status,
                               String triggerType, String triggerSource, String tenantId, String errorMessage,
                               int currentStep, int runNumber, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                               OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime nextWakeAt,
                               String waitEvent, String waitKey, OffsetDateTime waitingSince, OffsetDateTime waitUntil,
                               Object businessKeys, boolean compensated) {
}
