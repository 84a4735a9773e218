package io.dotmac.common.payment;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** billing-service's invoices of subscriptions over HTTP; used only through {@link PaidInvoices}. */
@RegisterRestClient(configKey = "billing-service")
@Path("/api/v1/billing/invoices")
@Produces(MediaType.APPLICATION_JSON)
interface BillingInvoicesRestClient {

    @GET
    @Path("/{id}")
    Uni<SubscriptionInvoice> get(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);
}
