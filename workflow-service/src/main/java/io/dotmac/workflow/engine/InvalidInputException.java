package io.dotmac.workflow.engine;

/** A start request whose context lacks what the workflow declares as its inputs. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
