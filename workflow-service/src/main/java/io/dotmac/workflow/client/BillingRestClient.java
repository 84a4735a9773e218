package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The billing-service's API as the workflow engine calls it: taking a payment for a quote,
 * reading payments back, and reading a subscription's invoice. Used only through {@link ServiceRegistry}.
 */
@RegisterRestClient(configKey = "billing-service")
@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface BillingRestClient {

    @POST
    @Path("/payments")
    Uni<JsonNode> processPayment(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/payments/{paymentId}/refund")
    Uni<JsonNode> refundPayment(@PathParam("paymentId") String paymentId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/payments/{paymentId}")
    Uni<JsonNode> getPayment(@PathParam("paymentId") String paymentId,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/payments/by-quote/{quoteId}")
    Uni<JsonNode> getPaymentByQuote(@PathParam("quoteId") String quoteId,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/subscriptions/changes")
    Uni<JsonNode> changeSubscription(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/subscriptions/changes/{quoteId}")
    Uni<JsonNode> getSubscriptionChange(@PathParam("quoteId") String quoteId,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/subscriptions")
    Uni<JsonNode> listSubscriptions(@QueryParam("quote_id") String quoteId, @QueryParam("size") int size,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/subscriptions/{subscriptionId}/{action}")
    Uni<JsonNode> endAtPeriodEnd(@PathParam("subscriptionId") String subscriptionId, @PathParam("action") String action,
            @HeaderParam("Idempotency-Key") String idempotencyKey, Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/subscriptions/{subscriptionId}")
    Uni<JsonNode> getSubscription(@PathParam("subscriptionId") String subscriptionId,
            @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/invoices/{invoiceId}")
    Uni<JsonNode> getInvoice(@PathParam("invoiceId") String invoiceId,
            @HeaderParam("Authorization") String authorization);
}
