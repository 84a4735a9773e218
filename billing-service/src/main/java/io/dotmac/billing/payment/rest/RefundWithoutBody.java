package io.dotmac.billing.payment.rest;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A refund's JSON body is optional, and a request without one comes with no Content-Type
 * ({@code curl -X POST}) or a form's ({@code curl -d ''}, most HTTP clients' default for a POST),
 * which JAX-RS would refuse (415) before the endpoint runs. A refund without a body is read as JSON
 * instead, that is as no body; one with a body must still say it is JSON.
 */
public class RefundWithoutBody {

    private static final Pattern REFUND = Pattern.compile("/?" + PaymentResource.PATH.substring(1) + "/[^/]+/refund/?");

    @ServerRequestFilter(preMatching = true)
    public void readAsJson(ContainerRequestContext request) {
        boolean noBody = request.getLength() == 0
                || request.getLength() < 0 && request.getHeaderString("Transfer-Encoding") == null;
        if (noBody && HttpMethod.POST.equals(request.getMethod()) && REFUND.matcher(request.getUriInfo().getPath()).matches()) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
