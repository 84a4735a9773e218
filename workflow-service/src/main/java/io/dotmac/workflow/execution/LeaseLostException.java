package io.dotmac.workflow.execution;

import java.util.UUID;

/** Another instance holds the execution now (this one's lease expired): stop driving it, write nothing. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(UUID executionId) {
        super("lease on execution " + executionId + " was lost");
    }
}
