package io.dotmac.common.payment;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** billing-service's payment of a quote over HTTP; used only through {@link PaidQuotes}. */
@RegisterRestClient(configKey = "billing-service")
@Path("/api/v1/billing/payments")
@Produces(MediaType.APPLICATION_JSON)
interface BillingPaymentsRestClient {

    @GET
    @Path("/by-quote/{quoteId}")
    Uni<QuotePayment> byQuote(@PathParam("quoteId") String quoteId, @HeaderParam("Authorization") String authorization);
}
