package io.dotmac.workflow.mapping;

import io.dotmac.workflow.repository.ExecutionQueries;
import io.dotmac.workflow.rest.ExecutionDetail;
import io.dotmac.workflow.rest.ExecutionStep;
import io.dotmac.workflow.rest.ExecutionSummary;
import java.util.Optional;

/**
 * Executions as the store reads them into their API form. The stored JSON (context, result, a
 * step's input and output) is passed on as it is, never parsed: a detail may hold megabytes.
 */
public final class ExecutionMapper {

    /** Where a trace viewer's URL takes the trace id. */
    public static final String TRACE_ID = "{trace_id}";

    private ExecutionMapper() {
    }

    public static ExecutionSummary toSummary(ExecutionQueries.Summary s) {
        return new ExecutionSummary(s.id(), s.workflowId(), s.workflowName(), s.workflowVersion(), s.status(),
                s.triggerType(), s.triggerSource(), s.tenantId(), s.errorMessage(), s.currentStep(), s.runNumber(),
                s.createdAt(), s.updatedAt(), s.startedAt(), s.completedAt(), s.nextWakeAt(), s.waitEvent(), s.waitKey(),
                s.waitingSince(), s.waitUntil(), s.businessKeys(), s.compensated());
    }

    /** {@code traceViewer}: a URL with {@code {trace_id}} in it, where each step's trace is shown (none: no links). */
    public static ExecutionDetail toDetail(ExecutionQueries.Detail d, Optional<String> traceViewer) {
        return new ExecutionDetail(toSummary(d.summary()), d.context(), d.result(),
                d.steps().stream().map(step -> toStep(step, traceViewer)).toList());
    }

    private static ExecutionStep toStep(ExecutionQueries.Step s, Optional<String> traceViewer) {
        String traceUrl = s.traceId() == null ? null : traceViewer.map(url -> url.replace(TRACE_ID, s.traceId())).orElse(null);
        return new ExecutionStep(s.id(), s.executionId(), s.runNumber(), s.sequenceNumber(), s.stepName(), s.stepType(),
                s.status(), s.inputData(), s.outputData(), s.errorMessage(), s.retryCount(), s.startedAt(), s.completedAt(),
                s.durationSeconds(), s.durationMs(), s.waitUntil(), s.traceId(), traceUrl);
    }
}
