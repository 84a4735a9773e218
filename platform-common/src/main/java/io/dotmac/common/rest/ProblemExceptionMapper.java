package io.dotmac.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
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
