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

/** sales-service's shop checkouts over HTTP; used only through {@link ShopCheckouts}. */
@RegisterRestClient(configKey = "sales-service")
@Path("/api/v1/sales/shop-checkouts")
@Produces(MediaType.APPLICATION_JSON)
interface SalesShopRestClient {

    @GET
    @Path("/{cartId}")
    Uni<Checkout> checkout(@PathParam("cartId") String cartId, @HeaderParam("Authorization") String authorization);

    /** A checked-out cart's purchase; only what the reminder reads. */
    @RegisterForReflection
    record Checkout(String status, String quoteId, String customerName, String orderUrl) {
    }
}
