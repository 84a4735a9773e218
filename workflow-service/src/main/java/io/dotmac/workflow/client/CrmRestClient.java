package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The crm-service's API as the workflow engine calls it: leads and their quotes. Used only through
 * {@link ServiceRegistry}; a status of 400 or more fails the {@code Uni} with a
 * {@code WebApplicationException}.
 */
@RegisterRestClient(configKey = "crm-service")
@Path("/api/v1/crm")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface CrmRestClient {

    @POST
    @Path("/leads/{leadId}/qualify")
    Uni<JsonNode> qualifyLead(@PathParam("leadId") String leadId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/leads/{leadId}/quotes")
    Uni<JsonNode> generateQuote(@PathParam("leadId") String leadId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/leads/{leadId}")
    Uni<JsonNode> getLead(@PathParam("leadId") String leadId,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/quotes/from-cart")
    Uni<JsonNode> quoteFromCart(@HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/quotes/{quoteId}/lapse")
    Uni<JsonNode> lapseQuote(@PathParam("quoteId") String quoteId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/quotes/{quoteId}")
    Uni<JsonNode> getQuote(@PathParam("quoteId") String quoteId,
            @HeaderParam("Authorization") String authorization);
}
