package io.dotmac.common.error;

import java.util.List;

/**
 * A failure the caller can act on, named by what it means rather than by an HTTP status: domain code
 * throws one of these, and the REST layer's one table ({@code ProblemExceptionMapper}) answers with
 * the status and a problem whose detail is the message (and the list of errors when there are
 * several). Each kind is a class, so callers catch the kind they handle ({@code Conflict}).
 */
public abstract class DomainException extends RuntimeException {

    private final List<String> errors;

    protected DomainException(String detail, List<String> errors) {
        super(detail);
        this.errors = errors;
    }

    /** Every problem found, when there is more than one (a definition with several errors); else null. */
    public List<String> errors() {
        return errors;
    }

    /** The request itself is malformed: a field missing, of the wrong type or out of its range. */
    public static class InvalidRequest extends DomainException {
        public InvalidRequest(String detail) {
            this(detail, null);
        }

        public InvalidRequest(String detail, List<String> errors) {
            super(detail, errors);
        }
    }

    /** Well-formed, but it breaks a rule of the domain (an unknown product, an amount that is not the quote's). */
    public static class Unprocessable extends DomainException {
        public Unprocessable(String detail) {
            super(detail, null);
        }
    }

    /** What it names does not exist for the caller (in another tenant, it does not exist either). */
    public static class NotFound extends DomainException {
        public NotFound(String detail) {
            super(detail, null);
        }
    }

    /** The thing's state does not allow it now (a draft quote cannot be accepted), or it exists already. */
    public static class Conflict extends DomainException {
        public Conflict(String detail) {
            super(detail, null);
        }
    }

    /** The caller may not do it, whatever the request says. */
    public static class Forbidden extends DomainException {
        public Forbidden(String detail) {
            super(detail, null);
        }
    }

    /** The request carries more than is accepted. */
    public static class TooLarge extends DomainException {
        public TooLarge(String detail) {
            super(detail, null);
        }
    }

    /** A service this one depends on answered what it should not have: retrying will not help. */
    public static class UpstreamFailed extends DomainException {
        public UpstreamFailed(String detail) {
            super(detail, null);
        }
    }

    /** Something this one depends on is down, failing or slow: the caller may try again later. */
    public static class Unavailable extends DomainException {
        public Unavailable(String detail) {
            super(detail, null);
        }
    }
}
