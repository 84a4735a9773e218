package io.dotmac.notification.client;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** sales-service's customer platforms over HTTP; used only through {@link SuspendedPlatforms}. */
@RegisterRestClient(configKey = "sales-service")
@Path("/api/v1/sales/tenants")
@Produces(MediaType.APPLICATION_JSON)
interface SalesTenantsRestClient {

    @GET
    @Path("/by-quote/{quoteId}")
    Uni<Platform> byQuote(@PathParam("quoteId") String quoteId, @HeaderParam("Authorization") String authorization);

    /** A customer's platform; only what the check reads. */
    @RegisterForReflection
    record Platform(String status) {
    }
}
