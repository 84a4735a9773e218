package io.dotmac.workflow.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.security.Roles;
import io.dotmac.workflow.client.CustomerSubscriptions;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A customer's subscription beside their journeys, for the console: billing-service's, read and
 * set to end at its period's end (or to renew again) with the caller's token, so that an operator
 * sees and does in one place what billing's API lets them.
 */
@Path("/api/v1/workflows/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "bearer")
public class SubscriptionResource {

    /** billing's quote ids are crm's: a UUID, or what a caller typed as a business key. */
    private static final int MAX_QUOTE_ID = 100;

    /** The answer for a quote: its subscriptions, newest first, each with its invoices, as billing-service shows them. */
    public record Subscriptions(List<JsonNode> items) {
    }

    /** Why the operator cancels or resumes, for billing's log. */
    public record Reason(@Size(max = 500) @Pattern(regexp = "[^\\p{Cc}]*", message = "must not contain control characters") String reason) {
    }

    private final CustomerSubscriptions subscriptions;

    SubscriptionResource(CustomerSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The subscriptions a quote started (?quote_id=, required), with their invoices, as billing-service "
            + "has them (the caller's token: billing's tenancy and roles apply); none for a key that is no quote of a "
            + "subscription. 503 if billing-service cannot be asked")
    public Uni<Subscriptions> ofQuote(@QueryParam("quote_id") String quoteId) {
        if (quoteId == null || quoteId.isBlank() || quoteId.length() > MAX_QUOTE_ID) {
            throw new InvalidRequest("quote_id: required, at most " + MAX_QUOTE_ID + " characters");
        }
        return subscriptions.ofQuote(quoteId.trim()).map(Subscriptions::new);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Cancel the subscription at its period's end, through billing-service (POST "
            + "/api/v1/billing/subscriptions/{id}/cancel, with the caller's token and Idempotency-Key): billing's answer; "
            + "404 if unknown, 409 if it has ended")
    public Uni<JsonNode> cancel(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key, @Valid Reason body) {
        return subscriptions.endAtPeriodEnd(subscriptionId(id), true, key, body == null ? null : body.reason());
    }

    @POST
    @Path("/{id}/resume")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "Undo a cancellation at the period's end, through billing-service (POST "
            + "/api/v1/billing/subscriptions/{id}/resume): billing's answer; 404 if unknown, 409 if it has ended")
    public Uni<JsonNode> resume(@PathParam("id") String id, @HeaderParam("Idempotency-Key") String key, @Valid Reason body) {
        return subscriptions.endAtPeriodEnd(subscriptionId(id), false, key, body == null ? null : body.reason());
    }

    private static String subscriptionId(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw new NotFound("No subscription with id '" + id + "'");
        }
    }
}
