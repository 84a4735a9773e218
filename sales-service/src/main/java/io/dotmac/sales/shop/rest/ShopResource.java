package io.dotmac.sales.shop.rest;

import io.dotmac.sales.shop.CartSecret;
import io.dotmac.sales.shop.Carts;
import io.dotmac.sales.shop.PricedCart;
import io.dotmac.sales.shop.ShopConfig;
import io.dotmac.sales.shop.catalog.Catalog;
import io.dotmac.sales.shop.catalog.CrmCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The shop's public API for anonymous visitors (the pages at /shop): the catalog and carts. No
 * token: a cart is the visitor's by the secret in its cookie. Every request is bounded per client
 * address and every change must come from the shop's own pages ({@link ShopRequestGuard}).
 */
@Path("/api/v1/shop")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shop", description = "Public: the catalog and carts of the self-serve shop. A cart is reached with the "
        + "HttpOnly, SameSite=Strict cookie " + ShopResource.COOKIE + " its creation set (another browser's cart is a 404). "
        + "Changes are accepted only from the shop's own origin (403 otherwise); each client address may send a "
        + "bounded number of requests a minute (429 with Retry-After past it).")
@PermitAll
public class ShopResource {

    static final String COOKIE = "shop_cart";
    private static final String COOKIE_PATH = "/api/v1/shop";

    private final Carts carts;
    private final CrmCatalog catalog;
    private final ShopConfig config;

    ShopResource(Carts carts, CrmCatalog catalog, ShopConfig config) {
        this.carts = carts;
        this.catalog = catalog;
        this.config = config;
    }

    @GET
    @Path("/catalog")
    @Operation(summary = "What the shop sells: each product with its description and exact unit price per billing cycle")
    public Uni<Catalog> catalog() {
        return catalog.read();
    }

    @POST
    @Path("/carts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Starts an empty cart (billing cycle monthly unless given) and sets its cookie")
    public Uni<RestResponse<CartView>> create(@Valid ShopRequests.NewCart body) {
        String secret = CartSecret.generate();
        return carts.create(body == null ? null : body.billingCycle(), secret).map(created ->
                RestResponse.ResponseBuilder.<CartView>created(URI.create(COOKIE_PATH + "/carts/" + created.cart().id))
                        .entity(view(created))
                        .cookie(cookie(secret))
                        .build());
    }

    @GET
    @Path("/carts/{id}")
    @Operation(summary = "The cart of this browser: its lines at the agreed prices beside today's, and its total")
    public Uni<CartView> get(@PathParam("id") String id, @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        return carts.get(id, secret).map(this::view);
    }

    @PUT
    @Path("/carts/{id}/lines/{productCode}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sets a product's quantity in the cart, adding it at today's price if absent (a whole number from 1 to max_quantity)")
    public Uni<RestResponse<CartView>> setLine(@PathParam("id") String id, @PathParam("productCode") String productCode,
                                 @Valid @NotNull ShopRequests.LineQuantity body,
                                 @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        return changed(carts.setQuantity(id, secret, productCode, body.quantity()), secret);
    }

    @DELETE
    @Path("/carts/{id}/lines/{productCode}")
    @Operation(summary = "Removes a product from the cart (removing one it does not hold is harmless)")
    public Uni<RestResponse<CartView>> removeLine(@PathParam("id") String id, @PathParam("productCode") String productCode,
                                    @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        return changed(carts.remove(id, secret, productCode), secret);
    }

    @PUT
    @Path("/carts/{id}/billing-cycle")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bills the cart monthly or annually: every line takes today's price at that cycle")
    public Uni<RestResponse<CartView>> billingCycle(@PathParam("id") String id, @Valid @NotNull ShopRequests.BillingCycle body,
                                      @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        return changed(carts.changeBillingCycle(id, secret, body.billingCycle()), secret);
    }

    @POST
    @Path("/carts/{id}/accept-prices")
    @Operation(summary = "Accepts today's catalog prices for every line (a product no longer sold leaves the cart)")
    public Uni<RestResponse<CartView>> acceptPrices(@PathParam("id") String id, @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        return changed(carts.acceptPrices(id, secret), secret);
    }

    // A change renews the cookie with the cart's idle time, which the change restarted.
    private Uni<RestResponse<CartView>> changed(Uni<PricedCart> change, String secret) {
        return change.map(priced -> RestResponse.ResponseBuilder.ok(view(priced), MediaType.APPLICATION_JSON_TYPE).cookie(cookie(secret)).build());
    }

    private CartView view(PricedCart priced) {
        return CartView.of(priced, config.maxQuantity(), config.maxLines(), carts.expiresAt(priced.cart()));
    }

    private NewCookie cookie(String secret) {
        return new NewCookie.Builder(COOKIE).value(secret).path(COOKIE_PATH).httpOnly(true).secure(config.cookieSecure())
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Math.min(Integer.MAX_VALUE, config.cartIdleTimeout().toSeconds()))
                .build();
    }
}
