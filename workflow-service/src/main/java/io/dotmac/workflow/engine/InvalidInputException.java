package io.dotmac.workflow.engine;

import io.dotmac.common.rest.ProblemException;

/** A start request whose context lacks what the workflow declares as its inputs, or is over the size limit. */
public class InvalidInputException extends ProblemException {

    public InvalidInputException(String message) {
        super(400, message);
    }
}
