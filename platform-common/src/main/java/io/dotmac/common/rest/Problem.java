package io.dotmac.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * An RFC 9457 problem details body. Registered for reflection by hand: it reaches Jackson through
 * Response.entity, as an Object that no resource signature names, and unregistered a native image
 * would answer every 4xx and 5xx with a 500 (NativeConfigurationIT).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection(registerFullHierarchy = true)
public record Problem(String type, String title, int status, String detail, String instance, List<String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String detail, UriInfo uri) {
        return response(status, detail, null, uri);
    }

    public static Response response(int status, String detail, List<String> errors, UriInfo uri) {
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType != null ? statusType.getReasonPhrase() : "HTTP " + status;
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath(), errors))
                .build();
    }
}
