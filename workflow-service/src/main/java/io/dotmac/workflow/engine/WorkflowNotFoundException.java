package io.dotmac.workflow.engine;

/** No active version of the named workflow is visible to the caller. */
public class WorkflowNotFoundException extends RuntimeException {

    public WorkflowNotFoundException(String name) {
        super("no active workflow named '" + name + "'");
    }
}
