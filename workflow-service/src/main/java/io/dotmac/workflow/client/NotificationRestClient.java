package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The notification-service's API as the workflow engine calls it: the email that asks a customer to
 * pay an accepted quote, the welcome email of a new customer, the one that tells a customer
 * their journey failed (and their payment was refunded), a renewal's receipt, the dunning emails of
 * an unpaid invoice, and the reminder of a shop checkout left unpaid. Used only through {@link ServiceRegistry}.
 */
@RegisterRestClient(configKey = "notification-service")
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface NotificationRestClient {

    @POST
    @Path("/welcome-email")
    Uni<JsonNode> sendWelcomeEmail(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/receipt")
    Uni<JsonNode> sendReceipt(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/journey-failed")
    Uni<JsonNode> sendJourneyFailed(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/payment-request")
    Uni<JsonNode> sendPaymentRequest(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/payment-failed")
    Uni<JsonNode> sendPaymentFailed(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/shop-reminder")
    Uni<JsonNode> sendShopReminder(@HeaderParam("Idempotency-Key") String idempotencyKey,
            Map<String, Object> body,
            @HeaderParam("Authorization") String authorization);
}
