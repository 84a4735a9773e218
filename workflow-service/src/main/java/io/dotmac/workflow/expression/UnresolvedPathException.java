package io.dotmac.workflow.expression;

/**
 * Thrown when a {@code ${path}} reference cannot be turned into a value from the execution
 * context: a missing key, an index out of range, a step through a value of the wrong shape, or a
 * null that would have to be written into text. The message names the full path and the part of
 * it that failed, so a workflow author can fix the definition without reading the engine's code.
 */
public class UnresolvedPathException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    public UnresolvedPathException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** The text of the path that could not be resolved, without the surrounding {@code ${}}. */
    public String path() {
        return path;
    }
}
