package io.dotmac.sales.provisioning.rest;

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
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Customer tenants of the caller's tenant, by the quote their order was made from: suspended while
 * a subscription's invoice stays unpaid, reinstated by a later payment (dunning). Both honour
 * {@code Idempotency-Key}; the workflow engine calls them as {@code sales_service.suspend_customer}
 * and {@code reinstate_customer}.
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

    CustomerTenantResource(CustomerTenantService tenants, CurrentTenant tenant) {
        this.tenants = tenants;
        this.tenant = tenant;
    }

    @POST
    @Path("/suspend")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Suspend the customer tenant of the order made from quote_id: its access is blocked, its "
            + "deployment stays. 200 with changed false when it is suspended already (safe to repeat); 404 if this tenant "
            + "has no order of the quote; 409 if the order has provisioned no customer tenant yet, or it is deprovisioned")
    @APIResponse(responseCode = "200", description = "The customer tenant, suspended; changed says whether this call suspended it")
    @Idempotent
    public Uni<Response> suspend(@Valid @NotNull TenantStatusRequest body) {
        return tenants.suspend(tenant.id(), body.quoteId(), body.reason()).map(CustomerTenantResource::ok);
    }

    @POST
    @Path("/reinstate")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Make the suspended customer tenant of the order made from quote_id active again (a late payment). "
            + "200 with changed false when it is active already (safe to repeat); 404 and 409 as for suspend")
    @APIResponse(responseCode = "200", description = "The customer tenant, active; changed says whether this call reinstated it")
    @Idempotent
    public Uni<Response> reinstate(@Valid @NotNull TenantStatusRequest body) {
        return tenants.reinstate(tenant.id(), body.quoteId(), body.reason()).map(CustomerTenantResource::ok);
    }

    private static Response ok(CustomerTenantService.StatusChange change) {
        return Response.ok(CustomerTenantMapper.toDto(change)).build();
    }
}
