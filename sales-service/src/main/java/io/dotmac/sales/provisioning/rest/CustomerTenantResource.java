package io.dotmac.sales.provisioning.rest;

import io.dotmac.common.idempotency.IdempotencyService;
import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.sales.provisioning.CustomerTenantService;
import io.dotmac.sales.provisioning.mapping.CustomerTenantMapper;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Customer tenants of the caller's tenant, by the quote their order was made from: read, suspended
 * while a hold is on them (an unpaid invoice's, put by dunning and lifted by its payment, or an
 * operator's), torn down once the subscription ended. The changes honour {@code Idempotency-Key};
 * the workflow engine calls them as {@code sales_service.suspend_customer}, {@code reinstate_customer}
 * and {@code deprovision_customer}, and the read as {@code get_customer_tenant}.
 */
@Path(CustomerTenantResource.BASE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Customer tenants")
@SecurityRequirement(name = "bearer")
public class CustomerTenantResource {

    static final String BASE = "/api/v1/sales/tenants";

    private final CustomerTenantService tenants;
    private final CurrentTenant tenant;
    private final IdempotencyService idempotency;

    CustomerTenantResource(CustomerTenantService tenants, CurrentTenant tenant, IdempotencyService idempotency) {
        this.tenants = tenants;
        this.tenant = tenant;
        this.idempotency = idempotency;
    }

    @GET
    @Path("/by-quote/{quoteId}")
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "The customer tenant of the order made from quoteId (any case): status active, suspended or "
            + "deprovisioned, and the holds that keep it suspended. 404 if this tenant has no order of the quote, or the "
            + "order provisioned no customer tenant (the detail says which)")
    public Uni<TenantStatusDto> byQuote(@PathParam("quoteId") String quoteId) {
        return tenants.get(tenant.id(), quoteId).map(CustomerTenantMapper::toDto);
    }

    @POST
    @Path("/suspend")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Put a hold (hold, operator when not given; dunning's is invoice:<id>) on the customer tenant of the "
            + "order made from quote_id: it is suspended, its access blocked and its deployment kept, while any hold is on "
            + "it. 200 with changed false when that hold is on already (safe to repeat); 404 if this tenant has no order "
            + "of the quote; 409 if the order has provisioned no customer tenant yet, or it is deprovisioned")
    @APIResponse(responseCode = "200", description = "The customer tenant, suspended, with its holds; changed says whether "
            + "this call put the hold on")
    @Idempotent
    public Uni<Response> suspend(@Valid @NotNull TenantHoldRequest body) {
        return tenants.suspend(tenant.id(), body.quoteId(), body.hold(), body.reason()).map(CustomerTenantResource::ok);
    }

    @POST
    @Path("/reinstate")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Lift a hold (hold, operator when not given) from the customer tenant of the order made from "
            + "quote_id (a late payment lifts its invoice's): it is active again once no hold is left. 200 with changed "
            + "false when that hold is not on, whatever the tenant's status, a deprovisioned one too (nothing to lift is "
            + "no error); 404 if this tenant has no order of the quote; 409 if the order has provisioned no customer tenant")
    @APIResponse(responseCode = "200", description = "The customer tenant with the holds left on it; changed says whether "
            + "this call lifted the hold")
    @Idempotent
    public Uni<Response> reinstate(@Valid @NotNull TenantHoldRequest body) {
        return tenants.reinstate(tenant.id(), body.quoteId(), body.hold(), body.reason()).map(CustomerTenantResource::ok);
    }

    // It tears down a customer's deployment, as an order's cancel does: not for readers.
    @POST
    @Path("/deprovision")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Tear down the customer tenant of the order made from quote_id, active or suspended, once its "
            + "subscription ended: the order is cancelled as by POST /api/v1/sales/orders/{id}/cancel (its service "
            + "activations, deployment and customer tenant kept, marked deprovisioned with the time; the tenant keeps its "
            + "slug). 200 with changed false when the order is cancelled already (safe to repeat); 404 if this tenant has "
            + "no order of the quote; 502 if the teardown failed (nothing changed; asking again retries), or did not finish "
            + "in time (the order is cancelled and its teardown goes on). An order that "
            + "provisioned no customer tenant is cancelled all the same, answered with slug and status null")
    @APIResponse(responseCode = "200", description = "The customer tenant, deprovisioned; changed says whether this call cancelled its order")
    // The key holds no transaction around it: the cancel commits by itself, then waits for the teardown.
    @Idempotent(checksFirst = true)
    public Uni<Response> deprovision(@Valid @NotNull TenantStatusRequest body) {
        String tenantId = tenant.id();
        return idempotency.runUnlocked(() -> tenants.deprovision(tenantId, body.quoteId(), body.reason()).map(CustomerTenantResource::ok));
    }

    private static Response ok(CustomerTenantService.StatusChange change) {
        return Response.ok(CustomerTenantMapper.toDto(change)).build();
    }
}
