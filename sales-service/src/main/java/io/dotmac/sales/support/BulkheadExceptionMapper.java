package io.dotmac.sales.support;

import io.dotmac.common.rest.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request refused because too many like it wait already ({@code provisioning/ProvisioningAdmission}):
 * 503 with {@code Retry-After}, in problem+json like every other error. The service is busy, not
 * broken, so the same request (with the same {@code Idempotency-Key}) succeeds when sent again.
 */
public class BulkheadExceptionMapper {

    private static final Logger LOG = Logger.getLogger(BulkheadExceptionMapper.class);
    // Enough for the requests ahead to move on; the workflow engine waits its own backoff as well.
    private static final String RETRY_AFTER_SECONDS = "2";

    @ServerExceptionMapper
    public Response busy(BulkheadException e, UriInfo uri) {
        // Back-pressure, not a fault: no stack trace at ERROR as for other 5xx.
        LOG.warnf("503 %s: %s", uri.getPath(), e.getMessage());
        return Response.fromResponse(Problem.response(503, "Too many orders are being submitted or processed at once; "
                        + "send the request again after " + RETRY_AFTER_SECONDS + " seconds", uri))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }
}
