package io.dotmac.workflow.engine;

import io.dotmac.common.error.DomainException.NotFound;

/** No active version of the named workflow is visible to the caller. */
public class WorkflowNotFoundException extends NotFound {

    public WorkflowNotFoundException(String name) {
        super("no active workflow named '" + name + "'");
    }
}
