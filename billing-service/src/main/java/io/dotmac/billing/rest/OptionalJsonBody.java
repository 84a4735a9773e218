package io.dotmac.billing.rest;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Some POSTs take an optional JSON body (a refund's, a subscription's cancellation's and its
 * undoing's: a reason), and a request without one comes with no Content-Type ({@code curl -X POST})
 * or a form's ({@code curl -d ''}, most HTTP clients' default for a POST), which JAX-RS would refuse
 * (415) before the endpoint runs. Such a request without a body is read as JSON instead, that is as
 * no body; one with a body must still say it is JSON.
 */
public class OptionalJsonBody {

    private static final Pattern OPTIONAL = Pattern.compile(
            "/?api/v1/billing/(payments/[^/]+/refund|subscriptions/[^/]+/(cancel|resume))/?");

    @ServerRequestFilter(preMatching = true)
    public void readAsJson(ContainerRequestContext request) {
        boolean noBody = request.getLength() == 0
                || request.getLength() < 0 && request.getHeaderString("Transfer-Encoding") == null;
        if (noBody && HttpMethod.POST.equals(request.getMethod()) && OPTIONAL.matcher(request.getUriInfo().getPath()).matches()) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
