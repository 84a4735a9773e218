package io.dotmac.common.rest;

import java.util.List;

/**
 * A failure with an HTTP meaning: services throw it (or a subclass) and {@link ProblemExceptionMapper}
 * answers with its status and detail, and the list of errors when there are several.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final List<String> errors;

    public ProblemException(int status, String detail) {
        this(status, detail, null);
    }

    public ProblemException(int status, String detail, List<String> errors) {
        super(detail);
        this.status = status;
        this.errors = errors;
    }

    public int status() {
        return status;
    }

    /** Every problem found, when there is more than one (a definition with several errors). */
    public List<String> errors() {
        return errors;
    }
}
