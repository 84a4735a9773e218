package io.dotmac.sales.shop.rest;

import io.dotmac.common.idempotency.Idempotent;
import io.dotmac.common.security.CurrentTenant;
import io.dotmac.common.security.Roles;
import io.dotmac.sales.shop.CheckoutStatus;
import io.dotmac.sales.shop.Checkouts;
import io.dotmac.sales.shop.OrderPages;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The shop's checkouts as the workflow engine moves them (built-in shop_checkout, as
 * {@code sales_service.*_shop_checkout}): taken up, paid through crm's quote and Stripe's page, or
 * failed, and read (by the engine's reminder of an unpaid checkout, say). A checked-out cart of the
 * caller's tenant only; an operator may fail one by hand.
 */
@Path("/api/v1/sales/shop-checkouts/{cartId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Shop checkouts")
@SecurityRequirement(name = "bearer")
public class ShopCheckoutResource {

    private final Checkouts checkouts;
    private final CurrentTenant tenant;
    private final String tenantBaseDomain;
    private final OrderPages orderPages;

    ShopCheckoutResource(Checkouts checkouts, CurrentTenant tenant, OrderPages orderPages,
                         @ConfigProperty(name = "controlplane.tenant-base-domain") String tenantBaseDomain) {
        this.checkouts = checkouts;
        this.tenant = tenant;
        this.orderPages = orderPages;
        this.tenantBaseDomain = tenantBaseDomain;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Where a checked-out cart's purchase stands, as its visitor's order page shows it (with the page's "
            + "order_url); 404 for a cart of another tenant or not checked out")
    public Uni<CheckoutView> get(@PathParam("cartId") String cartId) {
        return checkouts.statusInTenant(tenant.id(), cartId).map(status -> CheckoutView.of(status, tenantBaseDomain, orderPages));
    }

    // The engine's alone: what they record sends a paying visitor somewhere.
    @POST
    @Path("/start")
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "The checked-out cart, taken up by the engine (its contact and lines are in the event); 404 for none")
    @Idempotent
    public Uni<Response> start(@PathParam("cartId") String cartId) {
        return checkouts.started(tenant.id(), cartId).map(cart -> view(new CheckoutStatus(cart, null)));
    }

    @POST
    @Path("/payment")
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Records crm's accepted quote and Stripe's payment page for the cart: the visitor is sent there; "
            + "the same again is harmless, another quote a 409")
    @Idempotent
    public Uni<Response> payment(@PathParam("cartId") String cartId, @Valid @NotNull ShopRequests.Payment body) {
        return checkouts.recordPayment(tenant.id(), cartId, body.quoteId(), body.checkoutUrl())
                .map(cart -> view(new CheckoutStatus(cart, null)));
    }

    @POST
    @Path("/fail")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "The checkout could not be completed: the visitor is told why and starts again")
    @Idempotent
    public Uni<Response> fail(@PathParam("cartId") String cartId, @Valid @NotNull ShopRequests.Failure body) {
        return checkouts.fail(tenant.id(), cartId, body.reason()).map(cart -> view(new CheckoutStatus(cart, null)));
    }

    @POST
    @Path("/unpaid")
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "The payment of the cart's quote was not made (billing-service reports it failed, its page closed): "
            + "the visitor is told why and starts again; the same again is harmless; 409 for another quote, a payment not failed, or an order of the quote")
    @Idempotent
    public Uni<Response> unpaid(@PathParam("cartId") String cartId, @Valid @NotNull ShopRequests.Unpaid body) {
        return checkouts.closeUnpaid(tenant.id(), cartId, body.quoteId(), body.reason())
                .chain(cart -> checkouts.statusInTenant(tenant.id(), cartId)).map(this::view);
    }

    // @Idempotent answers are Responses, kept and replayed whole for a repeated Idempotency-Key.
    private Response view(CheckoutStatus status) {
        return Response.ok(CheckoutView.of(status, tenantBaseDomain, orderPages)).build();
    }
}
