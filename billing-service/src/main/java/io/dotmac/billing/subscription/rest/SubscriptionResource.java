package io.dotmac.billing.subscription.rest;

import io.dotmac.billing.subscription.SubscriptionService;
import io.dotmac.billing.subscription.mapping.SubscriptionMapper;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This tenant's subscriptions on Stripe Billing and their invoices, read as Stripe's webhooks reported them. */
@Path("/api/v1/billing/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "bearer")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;
    private final CurrentTenant tenant;

    SubscriptionResource(SubscriptionService subscriptions, CurrentTenant tenant) {
        this.subscriptions = subscriptions;
        this.tenant = tenant;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One subscription with its invoices, the latest period first (404 if unknown or another tenant's)")
    public Uni<SubscriptionResponse> get(@PathParam("id") String id) {
        return subscriptions.get(tenant.id(), id).chain(subscription -> subscriptions.invoicesOf(subscription)
                .map(invoices -> SubscriptionMapper.toResponse(subscription, invoices)));
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "This tenant's subscriptions, newest first, without their invoices; ?quote_id= only the quote's; "
            + "?page= from 0, ?size= 1 to 100 (default 20)")
    public Uni<Page<SubscriptionResponse>> list(@QueryParam("quote_id") String quoteId, @QueryParam("page") String page,
                                                @QueryParam("size") String size) {
        return subscriptions.list(tenant.id(), quoteId, PageRequest.of(page, size))
                .map(result -> result.map(subscription -> SubscriptionMapper.toResponse(subscription, null)));
    }
}
