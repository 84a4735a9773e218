package io.dotmac.workflow.rest;

import java.util.List;

/** A page of executions, newest first; {@code nextCursor} (null on the last page) asks for the next. */
public record ExecutionPage(List<ExecutionSummary> items, String nextCursor) {
}
