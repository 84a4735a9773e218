package io.dotmac.notification.client;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** sales-service's order list over HTTP; used only through {@link ActiveOrders}. */
@RegisterRestClient(configKey = "sales-service")
@Path("/api/v1/sales/orders")
@Produces(MediaType.APPLICATION_JSON)
interface SalesRestClient {

    @GET
    Uni<OrderPage> orders(@QueryParam("status") String status, @QueryParam("organization_slug") String organizationSlug,
                          @QueryParam("size") int size, @HeaderParam("Authorization") String authorization);

    /** A page of orders; only what the check reads. */
    @RegisterForReflection
    record OrderPage(List<Order> items) {
    }

    /** An order; only what the check reads: whose it is, whether active, and what its quote must have been paid. */
    @RegisterForReflection
    record Order(String id, String status, String customerEmail, String organizationSlug, String quoteId,
                 BigDecimal totalAmount, String currency) {
    }
}
