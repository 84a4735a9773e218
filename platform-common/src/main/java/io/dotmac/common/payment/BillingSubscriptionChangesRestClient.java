package io.dotmac.common.payment;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** billing-service's seat changes of subscriptions over HTTP; used only through {@link SubscriptionChanges}. */
@RegisterRestClient(configKey = "billing-service")
@Path("/api/v1/billing/subscriptions/changes")
@Produces(MediaType.APPLICATION_JSON)
interface BillingSubscriptionChangesRestClient {

    @GET
    @Path("/{quoteId}")
    Uni<SubscriptionChange> byQuote(@PathParam("quoteId") String quoteId, @HeaderParam("Authorization") String authorization);
}
