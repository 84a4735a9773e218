package io.dotmac.notification.client;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** billing-service's links for customers over HTTP; used only through {@link CancelLinks}. */
@RegisterRestClient(configKey = "billing-service")
@Path("/api/v1/billing/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
interface BillingLinksRestClient {

    @POST
    @Path("/{id}/cancel-link")
    Uni<Link> cancelLink(@PathParam("id") String subscriptionId, @HeaderParam("Authorization") String authorization);

    /** A signed link; only what a receipt carries. */
    @RegisterForReflection
    record Link(String url) {
    }
}
