package io.dotmac.billing.subscription.rest;

import io.dotmac.billing.subscription.SeatChanges;
import io.dotmac.billing.subscription.mapping.SubscriptionMapper;
import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Seat changes of this tenant's subscriptions, each made for an accepted quote of kind change. */
@Path("/api/v1/billing/subscriptions/changes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "bearer")
public class SeatChangeResource {

    private final SeatChanges changes;
    private final IdempotencyService idempotency;
    private final CurrentTenant tenant;

    SeatChangeResource(SeatChanges changes, IdempotencyService idempotency, CurrentTenant tenant) {
        this.changes = changes;
        this.idempotency = idempotency;
        this.tenant = tenant;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Make the seat change an accepted quote of kind change asks for ({\"quote_id\"}): the subscription its "
            + "changes_quote_id started is re-priced to the quote's total per period through Stripe, the rest of the period "
            + "prorated and invoiced at once, applied only once that invoice is paid. 200 with the change: applied, or "
            + "awaiting_payment if the card was declined (applied if the invoice is paid later, expired when Stripe drops it). "
            + "Once per quote: asked again, the change as it is. 422 if the quote is no change or its subscription is not this "
            + "tenant's; 409 if the quote is not accepted, the subscription has ended or is past due, or another change of it "
            + "is being made; 503 (retryable) if crm-service or Stripe cannot be asked. Honours Idempotency-Key.")
    @Idempotent(checksFirst = true)
    public Uni<Response> change(@Valid @NotNull SeatChangeRequest body) {
        String tenantId = tenant.id();
        // Idempotent by itself (one change per quote, the same Idempotency-Key at Stripe), so nothing is held around it.
        return idempotency.runUnlocked(() -> changes.change(tenantId, body.quoteId().trim())
                .map(change -> Response.ok(SubscriptionMapper.toChangeResponse(change)).build()));
    }

    @GET
    @Path("/{quoteId}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "The seat change made for a quote of kind change (404 if none in this tenant)")
    public Uni<SeatChangeResponse> get(@PathParam("quoteId") String quoteId) {
        return changes.get(tenant.id(), quoteId).map(SubscriptionMapper::toChangeResponse);
    }
}
