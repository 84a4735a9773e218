package io.dotmac.workflow.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.dotmac.workflow.execution.RawJson;
import java.util.List;

/** An execution as the guide's {@code GET /executions/{id}} shows it: the summary's fields at the top level. */
public record ExecutionDetail(@JsonUnwrapped ExecutionSummary summary, RawJson context, RawJson result,
                              List<ExecutionStep> steps) {
}
