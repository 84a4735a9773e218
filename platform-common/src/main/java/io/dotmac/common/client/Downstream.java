package io.dotmac.common.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Forbidden;
import io.dotmac.common.error.DomainException.Unavailable;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * How a service reads another one on behalf of its caller (the REST clients' wrappers in each
 * service's {@code client} package): the caller's own Bearer token goes along, so the other service
 * answers for the caller's tenant and role and nothing is read with more rights than the caller
 * has; and a failure comes back as a problem the caller can act on. "Absent" (404) is left to the
 * wrapper, which knows what it means there; the rest is decided here once: the other service down,
 * failing or slow is a 503 the caller may retry (the workflow engine does), anything else it
 * answers is a 502, except a refusal of the caller's token, which is the caller's 403.
 */
public final class Downstream {

    private Downstream() {
    }

    /** The Authorization header that passes the caller's token on. */
    public static String bearer(JsonWebToken caller) {
        return "Bearer " + caller.getRawToken();
    }

    /** Whether the other service answered 404. */
    public static boolean isNotFound(Throwable e) {
        return e instanceof WebApplicationException web && web.getResponse().getStatus() == 404;
    }

    /**
     * The problem for a call to {@code service} that failed while {@code doing} (e.g. "reading
     * quote 42"); a {@link DomainException} raised on this side stays as it is.
     */
    public static DomainException failure(String service, String doing, Throwable e) {
        if (e instanceof DomainException problem) {
            return problem;
        }
        if (e instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status >= 500) {
                return new Unavailable(service + " is unavailable (HTTP " + status + " " + doing + "); retry later");
            }
            if (status == 401 || status == 403) {
                return new Forbidden(service + " refused " + doing + " to the caller (HTTP " + status
                        + "): the caller's token lacks the role it takes");
            }
            return new UpstreamFailed(service + " refused " + doing + " (HTTP " + status + ")");
        }
        if (causedBy(e, JsonProcessingException.class)) {
            return new UpstreamFailed(service + " answered " + doing + " with what cannot be read: " + rootMessage(e));
        }
        // Refused connection, reset, timeout: the other service is not there right now.
        return new Unavailable(service + " is unavailable (" + rootMessage(e) + " " + doing + "); retry later");
    }

    /** The innermost message, which names what went wrong rather than who wrapped it. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
