package io.dotmac.workflow.mapping;

import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.repository.WorkflowVersion;
import io.dotmac.workflow.rest.Workflow;
import io.dotmac.workflow.rest.WorkflowDetail;

/** Stored workflow versions into their API form. */
public final class WorkflowMapper {

    private WorkflowMapper() {
    }

    public static Workflow toWorkflow(WorkflowVersion v) {
        return new Workflow(v.name(), v.version(), v.description(), v.active(), JsonCodec.readTree(v.tagsJson()),
                v.builtin(), v.createdAt());
    }

    public static WorkflowDetail toDetail(WorkflowVersion v) {
        return new WorkflowDetail(v.name(), v.version(), v.description(), v.active(), JsonCodec.readTree(v.tagsJson()),
                v.builtin(), v.createdAt(), JsonCodec.readTree(v.definition()));
    }
}
