package io.dotmac.workflow.rest;

import io.dotmac.common.rest.Problem;
import io.dotmac.workflow.quota.QuotaExceededException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A start beyond the tenant's quota: 429 with {@code Retry-After}; the same request later succeeds. */
public class QuotaExceededMapper {

    private static final Logger LOG = Logger.getLogger(QuotaExceededMapper.class);

    @ServerExceptionMapper
    public Response overQuota(QuotaExceededException e, UriInfo uri) {
        LOG.warnf("429 %s: %s", uri.getPath(), e.getMessage());
        long seconds = Math.max(1, e.retryAfter().toSeconds());
        return Response.fromResponse(Problem.response(429, e.getMessage() + "; send it again after " + seconds + " s", uri))
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .build();
    }
}
