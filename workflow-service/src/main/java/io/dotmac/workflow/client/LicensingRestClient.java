package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The licensing-service's API as the workflow engine calls it: issuing the licenses of a purchase
 * and listing a customer's licenses. Used only through {@link ServiceRegistry}.
 */
@RegisterRestClient(configKey = "licensing-service")
@Path("/api/v1/licenses")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface LicensingRestClient {

    @POST
    Uni<JsonNode> issueLicense(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/expire")
    Uni<JsonNode> expireLicenses(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/suspend")
    Uni<JsonNode> suspendLicenses(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/reinstate")
    Uni<JsonNode> reinstateLicenses(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/change")
    Uni<JsonNode> changeLicenses(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/renew")
    Uni<JsonNode> renewLicenses(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/revoke")
    Uni<JsonNode> revokeLicenses(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    Uni<JsonNode> getLicenses(@QueryParam("customer_id") String customerId,
            @HeaderParam("Authorization") String authorization);
}
