package io.dotmac.workflow.engine;

import io.dotmac.common.rest.ProblemException;

/** No active version of the named workflow is visible to the caller. */
public class WorkflowNotFoundException extends ProblemException {

    public WorkflowNotFoundException(String name) {
        super(404, "no active workflow named '" + name + "'");
    }
}
