package io.dotmac.billing.subscription.rest;

import io.dotmac.billing.subscription.SubscriptionService;
import io.dotmac.billing.subscription.mapping.SubscriptionMapper;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One invoice of a subscription, by the id billing's invoice events carry: what licensing asks
 * before it extends licenses for a paid period, and what a receipt is written from.
 */
@Path("/api/v1/billing/invoices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "bearer")
public class InvoiceResource {

    private final SubscriptionService subscriptions;
    private final CurrentTenant tenant;

    InvoiceResource(SubscriptionService subscriptions, CurrentTenant tenant) {
        this.subscriptions = subscriptions;
        this.tenant = tenant;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One invoice of a subscription with its subscription and quote (404 if unknown or another tenant's)")
    public Uni<InvoiceResponse> get(@PathParam("id") String id) {
        return subscriptions.invoice(tenant.id(), id).map(found -> SubscriptionMapper.toInvoiceResponse(found.subscription(), found.invoice()));
    }
}
