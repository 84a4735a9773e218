package io.dotmac.crm.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** sales-service's slug reservations over HTTP; used only through {@link SlugRegistry}. */
@RegisterRestClient(configKey = "sales-service")
@Path("/api/v1/sales/slug-reservations/{slug}")
interface SalesRestClient {

    record Reserve(String leadId, OffsetDateTime expiresAt) {
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Void> reserve(@PathParam("slug") String slug, Reserve body, @HeaderParam("Authorization") String authorization);

    @DELETE
    Uni<Void> release(@PathParam("slug") String slug, @QueryParam("lead_id") String leadId,
                      @HeaderParam("Authorization") String authorization);

    @DELETE
    Uni<Void> releaseUnpaid(@PathParam("slug") String slug, @QueryParam("lead_id") String leadId,
                            @QueryParam("unpaid_quote") String quoteId, @HeaderParam("Authorization") String authorization);
}
