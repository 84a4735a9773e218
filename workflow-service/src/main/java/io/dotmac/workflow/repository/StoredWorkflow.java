package io.dotmac.workflow.repository;

import io.dotmac.workflow.definition.WorkflowDefinition;

/** A version of a workflow definition as stored in {@code workflows}; a stored version never changes. */
public record StoredWorkflow(long id, String tenantId, WorkflowDefinition definition) {
}
