package io.dotmac.sales.shop.rest;

import io.dotmac.sales.shop.CartSecret;
import io.dotmac.sales.shop.Carts;
import io.dotmac.sales.shop.Checkouts;
import io.dotmac.sales.shop.OrderPages;
import io.dotmac.sales.shop.Contact;
import io.dotmac.sales.shop.PricedCart;
import io.dotmac.sales.shop.ShopConfig;
import io.dotmac.sales.shop.catalog.Catalog;
import io.dotmac.sales.shop.catalog.CrmCatalog;
import io.dotmac.sales.slug.SlugReservations;
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
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
        + "HttpOnly, SameSite=Strict cookie " + ShopResource.COOKIE + " its creation set, on the cart's own path (another browser's cart is a 404). "
        + "Changes are accepted only from the shop's own origin (403 otherwise); each client address may send a "
        + "bounded number of requests a minute (429 with Retry-After past it).")
@PermitAll
public class ShopResource {

    static final String COOKIE = "shop_cart";
    private static final String CARTS = "/api/v1/shop/carts/";
    /** A checked-out cart is the visitor's order page (it never expires): its cookie lasts as long as a payment and its journey may. */
    private static final Duration ORDER_PAGE = Duration.ofDays(90);

    private final Carts carts;
    private final Checkouts checkouts;
    private final CrmCatalog catalog;
    private final SlugReservations slugs;
    private final ShopConfig config;
    private final String tenantBaseDomain;
    private final OrderPages orderPages;

    ShopResource(Carts carts, Checkouts checkouts, CrmCatalog catalog, SlugReservations slugs, ShopConfig config,
                 OrderPages orderPages, @ConfigProperty(name = "controlplane.tenant-base-domain") String tenantBaseDomain) {
        this.orderPages = orderPages;
        this.carts = carts;
        this.checkouts = checkouts;
        this.catalog = catalog;
        this.slugs = slugs;
        this.config = config;
        this.tenantBaseDomain = tenantBaseDomain;
    }

    /** The regions a visitor may choose. */
    public record Regions(List<String> regions) {
    }

    /** Whether an organization name may be chosen now, and if not, why (never whose it is). */
    public record SlugAvailability(String slug, boolean available, String reason) {
    }

    @GET
    @Path("/catalog")
    @Operation(summary = "What the shop sells: each product with its description and exact unit price per billing cycle")
    public Uni<Catalog> catalog() {
        return catalog.read();
    }

    @GET
    @Path("/regions")
    @Operation(summary = "The deployment regions a visitor may choose at checkout")
    public Regions regions() {
        return new Regions(config.regions());
    }

    @GET
    @Path("/slugs/{slug}")
    @Operation(summary = "Whether an organization name (the platform's subdomain) is free now, checked as the visitor types; "
            + "checkout reserves it")
    public Uni<SlugAvailability> slug(@PathParam("slug") String slug) {
        if (slug.length() > 100 || !SlugReservations.SLUG.matcher(slug).matches()) {
            return Uni.createFrom().item(new SlugAvailability(slug.length() > 100 ? slug.substring(0, 100) : slug, false,
                    "not a valid organization name: 3 to 40 of a-z, 0-9 and inner hyphens, starting with a letter"));
        }
        return slugs.isFree(slug).map(free -> new SlugAvailability(slug, free, free ? null : "taken"));
    }

    @POST
    @Path("/carts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Starts an empty cart (billing cycle monthly unless given) and sets its cookie")
    public Uni<RestResponse<CartView>> create(@Valid ShopRequests.NewCart body) {
        String secret = CartSecret.generate();
        return carts.create(body == null ? null : body.billingCycle(), secret).map(created ->
                RestResponse.ResponseBuilder.<CartView>created(URI.create(CARTS + created.cart().id))
                        .entity(view(created))
                        .cookie(cookie(created.cart().id.toString(), secret, config.cartIdleTimeout()))
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

    @POST
    @Path("/carts/{id}/checkout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Checks the cart out: 202, then the purchase is prepared (GET …/checkout shows it, and Stripe's "
            + "payment page when it is ready). The same details again are the same checkout; 409 when prices changed, the "
            + "total is not the one given, the cart is empty, the organization name is taken, or it was checked out otherwise")
    public Uni<RestResponse<CheckoutView>> checkout(@PathParam("id") String id, @Valid @NotNull ShopRequests.Checkout body,
                                                    @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        Contact contact = new Contact(body.customerName().strip(), body.customerEmail().strip(), body.companyName().strip(),
                body.organizationSlug(), body.region());
        return checkouts.checkout(id, secret, contact, body.total()).map(checkout ->
                RestResponse.ResponseBuilder.<CheckoutView>accepted().entity(CheckoutView.of(checkout, tenantBaseDomain, orderPages))
                        .type(MediaType.APPLICATION_JSON_TYPE).cookie(cookie(checkout.cart().id.toString(), secret, ORDER_PAGE)).build());
    }

    @GET
    @Path("/carts/{id}/checkout")
    @Operation(summary = "Where the cart's purchase stands: preparing, awaiting_payment (with Stripe's page), paid, live "
            + "(with the platform's URL) or failed (with why); 404 before checkout")
    public Uni<CheckoutView> checkoutStatus(@PathParam("id") String id, @Parameter(hidden = true) @CookieParam(COOKIE) String secret) {
        return checkouts.status(id, secret).map(checkout -> CheckoutView.of(checkout, tenantBaseDomain, orderPages));
    }

    // A change renews the cookie with the cart's idle time, which the change restarted.
    private Uni<RestResponse<CartView>> changed(Uni<PricedCart> change, String secret) {
        return change.map(priced -> RestResponse.ResponseBuilder.ok(view(priced), MediaType.APPLICATION_JSON_TYPE)
                .cookie(cookie(priced.cart().id.toString(), secret, config.cartIdleTimeout())).build());
    }

    private CartView view(PricedCart priced) {
        return CartView.of(priced, config.maxQuantity(), config.maxLines(), carts.expiresAt(priced.cart()));
    }

    /**
     * The cart's cookie, on its own path: a browser keeps one per cart and sends each only with
     * that cart's requests, so a new cart never loses the visitor an earlier one (an order still
     * followed). The path is the cart's id as the service made it, never the caller's spelling.
     */
    private NewCookie cookie(String cartId, String secret, Duration maxAge) {
        return new NewCookie.Builder(COOKIE).value(secret).path(CARTS + cartId).httpOnly(true).secure(config.cookieSecure())
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds()))
                .build();
    }
}
