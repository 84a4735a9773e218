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
 * The sales-service's API as the workflow engine calls it: orders from quotes, their submission and
 * processing (which provisions the customer tenant), and the suspension of a customer tenant whose
 * subscription went unpaid. Used only through {@link ServiceRegistry}.
 */
@RegisterRestClient(configKey = "sales-service")
@Path("/api/v1/sales")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface SalesRestClient {

    @POST
    @Path("/orders/from-quote")
    Uni<JsonNode> createOrderFromQuote(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/orders/{orderId}/submit")
    Uni<JsonNode> submitOrder(@PathParam("orderId") String orderId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/orders/{orderId}/cancel")
    Uni<JsonNode> cancelOrder(@PathParam("orderId") String orderId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/orders/{orderId}/process")
    Uni<JsonNode> processOrder(@PathParam("orderId") String orderId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/orders/{orderId}")
    Uni<JsonNode> getOrder(@PathParam("orderId") String orderId,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/shop-checkouts/{cartId}/start")
    Uni<JsonNode> startShopCheckout(@PathParam("cartId") String cartId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/shop-checkouts/{cartId}/payment")
    Uni<JsonNode> recordShopCheckout(@PathParam("cartId") String cartId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/shop-checkouts/{cartId}/unpaid")
    Uni<JsonNode> closeUnpaidShopCheckout(@PathParam("cartId") String cartId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/shop-checkouts/{cartId}/fail")
    Uni<JsonNode> failShopCheckout(@PathParam("cartId") String cartId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/tenants/suspend")
    Uni<JsonNode> suspendCustomer(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/tenants/reinstate")
    Uni<JsonNode> reinstateCustomer(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/tenants/deprovision")
    Uni<JsonNode> deprovisionCustomer(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/tenants/by-quote/{quoteId}")
    Uni<JsonNode> getCustomerTenant(@PathParam("quoteId") String quoteId,
            @HeaderParam("Authorization") String authorization);
}
