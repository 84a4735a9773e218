package io.dotmac.workflow.engine;

import io.dotmac.common.error.DomainException.InvalidRequest;

/** A start request whose context lacks what the workflow declares as its inputs, or is over the size limit. */
public class InvalidInputException extends InvalidRequest {

    public InvalidInputException(String message) {
        super(message);
    }
}
