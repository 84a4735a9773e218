package io.dotmac.workflow.rest;

import io.dotmac.workflow.execution.RawJson;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One step of one run, with the guide's fields ({@code id}, {@code execution_id},
 * {@code step_name}, {@code step_type}, {@code sequence_number}, {@code status},
 * {@code input_data}, {@code output_data}, {@code error_message}, {@code retry_count},
 * {@code started_at}, {@code completed_at}, {@code duration_seconds}) and ours beside them.
 * {@code traceId} is the trace of its last run (OpenTelemetry), {@code traceUrl} where a trace
 * viewer shows it (null unless {@code WORKFLOW_TRACE_URL} is set).
 */
public record ExecutionStep(long id, UUID executionId, int runNumber, int sequenceNumber, String stepName, String stepType,
                            String status, RawJson inputData, RawJson outputData, String errorMessage, int retryCount,
                            OffsetDateTime startedAt, OffsetDateTime completedAt, BigDecimal durationSeconds,
                            Long durationMs, OffsetDateTime waitUntil, String traceId, String traceUrl) {
}
