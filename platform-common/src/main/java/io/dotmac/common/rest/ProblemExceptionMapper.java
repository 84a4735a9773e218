package io.dotmac.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Forbidden;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.TooLarge;
import io.dotmac.common.error.DomainException.Unavailable;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.JDBCException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP responses, in every service: an RFC 9457
 * {@code application/problem+json} body whose {@code detail} says what went wrong. Client errors
 * are logged at WARN; anything unexpected is a 500 at ERROR, with a reference instead of a stack
 * trace in the response.
 */
public class ProblemExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "%s %s", status, uri.getPath());
        } else {
            LOG.warnf("%s %s: %s", status, uri.getPath(), e.getMessage());
        }
        return Problem.response(status, e.getMessage(), uri);
    }

    /** The one table of what a domain failure is in HTTP. */
    static final Map<Class<? extends DomainException>, Integer> STATUS = Map.of(
            InvalidRequest.class, 400,
            Forbidden.class, 403,
            NotFound.class, 404,
            Conflict.class, 409,
            TooLarge.class, 413,
            Unprocessable.class, 422,
            UpstreamFailed.class, 502,
            Unavailable.class, 503);

    @ServerExceptionMapper
    public Response problem(DomainException e, UriInfo uri) {
        int status = statusOf(e);
        if (status >= 500) {
            LOG.errorf(e, "%s %s", status, uri.getPath());
        } else {
            LOG.warnf("%s %s: %s", status, uri.getPath(), e.getMessage());
        }
        return Problem.response(status, e.getMessage(), e.errors(), uri);
    }

    /** Its kind's status: the kind is the class it is, or the one it extends (a service's own NotFound). */
    static int statusOf(DomainException e) {
        for (Class<?> kind = e.getClass(); kind != DomainException.class; kind = kind.getSuperclass()) {
            Integer status = STATUS.get(kind);
            if (status != null) {
                return status;
            }
        }
        throw new IllegalStateException("no status for " + e.getClass().getName() + " in ProblemExceptionMapper.STATUS");
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        LOG.warnf("401 %s: %s", uri.getPath(), e.getMessage());
        return Response.fromResponse(Problem.response(401,
                        "A valid Bearer token is required (signed by a trusted key, with the expected issuer and audience, not expired)", uri))
                .header("WWW-Authenticate", "Bearer").build();
    }

    // A token of the identity provider while it cannot be reached (its keys unknown yet): the caller
    // is not at fault, and may try again.
    @ServerExceptionMapper
    public Response identityProviderUnreachable(OIDCException e, UriInfo uri) {
        LOG.warnf("503 %s: the identity provider cannot be reached: %s", uri.getPath(), e.getMessage());
        return Response.fromResponse(Problem.response(503,
                "The token's issuer cannot be reached to verify it; try again shortly", uri)).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        LOG.warnf("403 %s: %s", uri.getPath(), e.getMessage());
        return Problem.response(403, e.getMessage() == null || e.getMessage().isBlank()
                ? "The token's roles do not allow this operation" : e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> fieldOf(v.getPropertyPath().toString()) + ": " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        LOG.warnf("400 %s: %s", uri.getPath(), detail);
        return Problem.response(400, detail, uri);
    }

    // "execute.request.workflowName" -> "workflow_name", "list.limit" -> "limit": the method and
    // parameter names mean nothing to a client, which knows the JSON and query names.
    private static String fieldOf(String path) {
        String[] parts = path.split("\\.");
        String field = parts.length <= 1 ? path
                : parts.length == 2 ? parts[1]
                : String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    // A value PostgreSQL refuses (SQLSTATE class 22: a NUL character, a number out of range) came
    // from the request: a 400 that says so, not a 500. A unique violation is a conflict.
    @ServerExceptionMapper
    public Response database(PgException e, UriInfo uri) {
        return database(e.getSqlState(), e.getErrorMessage(), e.getDetail(), e, uri);
    }

    // The same refusal when Hibernate flushed the write: it wraps PostgreSQL's error in its own.
    @ServerExceptionMapper
    public Response hibernate(JDBCException e, UriInfo uri) {
        PgException pg = e.getCause() instanceof PgException cause ? cause : null;
        return database(e.getSQLState(), pg == null ? e.getErrorMessage() : pg.getErrorMessage(),
                pg == null ? e.getErrorMessage() : pg.getDetail(), e, uri);
    }

    private Response database(String sqlState, String message, String detail, Exception e, UriInfo uri) {
        String state = sqlState == null ? "" : sqlState;
        if (state.startsWith("22")) {
            LOG.warnf("400 %s: %s", uri.getPath(), message);
            return Problem.response(400, "A value in the request cannot be stored: " + message, uri);
        }
        if (state.equals("23505")) {
            LOG.warnf("409 %s: %s", uri.getPath(), message);
            return Problem.response(409, "It exists already: " + detail, uri);
        }
        return unexpected(e, uri);
    }

    // Jackson's own mappers would answer with a body that is not problem+json.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        String detail = "Request body is not valid JSON for this endpoint: " + e.getOriginalMessage();
        LOG.warnf("400 %s: %s", uri.getPath(), detail);
        return Problem.response(400, detail, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "500 %s (reference %s)", uri.getPath(), reference);
        return Problem.response(500, "Unexpected error; the server log has it under reference " + reference, uri);
    }
}
