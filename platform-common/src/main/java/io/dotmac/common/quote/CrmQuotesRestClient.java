package io.dotmac.common.quote;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** crm-service's quote API over HTTP; used only through {@link CrmQuotes}. */
@RegisterRestClient(configKey = "crm-service")
@Path("/api/v1/crm/quotes")
@Produces(MediaType.APPLICATION_JSON)
interface CrmQuotesRestClient {

    @GET
    @Path("/{id}")
    Uni<Quote> getQuote(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);
}
