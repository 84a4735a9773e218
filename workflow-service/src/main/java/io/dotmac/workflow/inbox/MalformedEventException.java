package io.dotmac.workflow.inbox;

/** An event that no retry can make usable (no tenant, data the triggered workflows need is missing). */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
