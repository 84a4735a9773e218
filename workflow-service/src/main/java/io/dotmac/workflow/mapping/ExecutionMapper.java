package io.dotmac.workflow.mapping;

import io.dotmac.workflow.repository.ExecutionQueries;
import io.dotmac.workflow.rest.ExecutionDetail;
import io.dotmac.workflow.rest.ExecutionStep;
import io.dotmac.workflow.rest.ExecutionSummary;

/**
 * Executions as the store reads them into their API form. The stored JSON (context, result, a
 * step's input and output) is passed on as it is, never parsed: a detail may hold megabytes.
 */
public final class ExecutionMapper {

    private ExecutionMapper() {
    }

    public static ExecutionSummary toSummary(ExecutionQueries.Summary s) {
        return new ExecutionSummary(s.id(), s.workflowId(), s.workflowName(), s.workflowVersion(), s.status(),
                s.triggerType(), s.triggerSource(), s.tenantId(), s.errorMessage(), s.currentStep(), s.runNumber(),
                s.createdAt(), s.updatedAt(), s.startedAt(), s.completedAt(), s.nextWakeAt(), s.waitEvent(), s.waitKey(),
                s.waitingSince(), s.waitUntil(), s.businessKeys(), s.compensated());
    }

    public static ExecutionDetail toDetail(ExecutionQueries.Detail d) {
        return new ExecutionDetail(toSummary(d.summary()), d.context(), d.result(),
                d.steps().stream().map(ExecutionMapper::toStep).toList());
    }

    private static ExecutionStep toStep(ExecutionQueries.Step s) {
        return new ExecutionStep(s.id(), s.executionId(), s.runNumber(), s.sequenceNumber(), s.stepName(), s.stepType(),
                s.status(), s.inputData(), s.outputData(), s.errorMessage(), s.retryCount(), s.startedAt(), s.completedAt(),
                s.durationSeconds(), s.durationMs(), s.waitUntil());
    }
}
