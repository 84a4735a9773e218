package io.dotmac.sales.shop;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.dotmac.sales.shop.catalog.Catalog;
import io.dotmac.sales.shop.catalog.CatalogProduct;
import io.dotmac.sales.shop.catalog.CrmCatalog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The shop's carts, for anonymous visitors: a cart is reached by its id and the secret of the
 * visitor's cookie together, and anything else (an unknown id, another visitor's cookie, an expired
 * cart) is the same 404, so nothing tells whether a cart exists. A line keeps the price agreed when
 * it was added; a catalog price changed since is shown beside it and never applied without the
 * visitor's say ({@link #acceptPrices}). The catalog is read before the cart's transaction, so no
 * connection waits on crm-service; each change then holds the cart's row lock.
 */
@ApplicationScoped
public class Carts {

    private static final Logger LOG = Logger.getLogger(Carts.class);
    public static final Set<String> BILLING_CYCLES = Set.of("monthly", "annual");

    private final CartRepository carts;
    private final CrmCatalog catalog;
    private final ShopConfig config;

    Carts(CartRepository carts, CrmCatalog catalog, ShopConfig config) {
        this.carts = carts;
        this.catalog = catalog;
        this.config = config;
    }

    /** A new empty cart of the shop's tenant, whose secret (for the visitor's cookie) is {@code secret}. */
    public Uni<PricedCart> create(String billingCycle, String secret) {
        String cycle = billingCycle == null ? "monthly" : requireCycle(billingCycle);
        return catalog.read().chain(products -> Panache.withTransaction(() -> {
            OffsetDateTime now = now();
            Cart cart = new Cart();
            cart.id = UUID.randomUUID();
            cart.tenantId = config.tenant();
            cart.secretHash = CartSecret.hash(secret);
            cart.status = Cart.OPEN;
            cart.billingCycle = cycle;
            cart.lines = new CartLines(List.of());
            cart.createdAt = now;
            cart.updatedAt = now;
            return carts.persist(cart).map(created -> new PricedCart(created, products));
        })).invoke(created -> LOG.infof("shop: cart %s created (%s)", created.cart().id, cycle));
    }

    @WithSession
    public Uni<PricedCart> get(String id, String secret) {
        return catalog.read().chain(products -> carts.findById(parse(id))
                .map(cart -> new PricedCart(reachable(cart, secret), products)));
    }

    /**
     * Sets the product's quantity, adding its line at today's price if it has none (an existing
     * line keeps its agreed price). 400 for a quantity out of 1..max, 422 for a product the catalog
     * does not sell at the cart's cycle or in its currency, 409 past the most lines.
     */
    public Uni<PricedCart> setQuantity(String id, String secret, String productCode, BigDecimal quantity) {
        int units = requireQuantity(quantity);
        return change(id, secret, (cart, products) -> {
            CartLine existing = cart.line(productCode).orElse(null);
            if (existing != null) {
                cart.put(existing.withQuantity(units));
                return;
            }
            CatalogProduct product = products.product(productCode).orElseThrow(() ->
                    new Unprocessable("Product '" + productCode + "' is not in the catalog"));
            BigDecimal price = product.unitPrice(cart.billingCycle);
            if (price == null) {
                throw new Unprocessable("Product '" + productCode + "' is not sold " + cart.billingCycle);
            }
            String currency = currencyOf(cart);
            if (currency != null && !currency.equals(product.currency())) {
                throw new Unprocessable("Product '" + productCode + "' is priced in " + product.currency()
                        + "; this cart holds " + currency + " products, and one payment is in one currency");
            }
            if (cart.items().size() >= config.maxLines()) {
                throw new Conflict("A cart holds at most " + config.maxLines() + " products");
            }
            cart.put(new CartLine(productCode, units, price, product.currency()));
        });
    }

    /** Removes the product's line; removing one the cart does not have is harmless. */
    public Uni<PricedCart> remove(String id, String secret, String productCode) {
        return change(id, secret, (cart, products) -> cart.remove(productCode));
    }

    /**
     * Changes the cart's billing cycle: the visitor chose the other cycle's prices, so every line
     * takes today's price at it; 422 if a product is not sold at that cycle.
     */
    public Uni<PricedCart> changeBillingCycle(String id, String secret, String billingCycle) {
        String cycle = requireCycle(billingCycle);
        return change(id, secret, (cart, products) -> {
            List<CartLine> repriced = new ArrayList<>();
            for (CartLine line : cart.items()) {
                CatalogProduct product = products.product(line.productCode()).orElse(null);
                BigDecimal price = product == null ? null : product.unitPrice(cycle);
                if (price == null) {
                    throw new Unprocessable("Product '" + line.productCode() + "' is not sold " + cycle
                            + "; remove it from the cart first");
                }
                repriced.add(line.withPrice(price, product.currency()));
            }
            cart.billingCycle = cycle;
            cart.lines = new CartLines(List.copyOf(repriced));
        });
    }

    /**
     * The visitor accepts today's catalog: every line takes its current price, and a line whose
     * product is no longer sold (at the cart's cycle) is removed.
     */
    public Uni<PricedCart> acceptPrices(String id, String secret) {
        return change(id, secret, (cart, products) -> {
            List<CartLine> accepted = new ArrayList<>();
            for (CartLine line : cart.items()) {
                products.product(line.productCode())
                        .filter(product -> product.unitPrice(cart.billingCycle) != null)
                        .ifPresent(product -> accepted.add(line.withPrice(product.unitPrice(cart.billingCycle), product.currency())));
            }
            cart.lines = new CartLines(List.copyOf(accepted));
        });
    }

    private interface Change {
        void apply(Cart cart, Catalog products);
    }

    private Uni<PricedCart> change(String id, String secret, Change change) {
        UUID cartId = parse(id);
        return catalog.read().chain(products -> Panache.withTransaction(() -> carts.lock(cartId).map(found -> {
            Cart cart = reachable(found, secret);
            requireOpen(cart);
            change.apply(cart, products);
            if (cart.items().stream().map(CartLine::currency).distinct().count() > 1) {
                throw new Unprocessable("The catalog now prices these products in different currencies, and one payment is "
                        + "in one currency: remove one of them first");
            }
            cart.updatedAt = now();
            return new PricedCart(cart, products);
        })));
    }

    static void requireOpen(Cart cart) {
        if (Cart.FAILED.equals(cart.status)) {
            throw new Conflict("This cart's checkout failed; start a new cart with its products");
        }
        if (!Cart.OPEN.equals(cart.status)) {
            throw new Conflict("This cart was checked out; it can no longer change");
        }
    }

    /** The cart if the secret is its own and it has not expired; else the one 404. */
    Cart reachable(Cart cart, String secret) {
        // A checked-out cart stays the visitor's order page: only an open one expires.
        if (cart == null || !CartSecret.matches(secret, cart.secretHash)
                || Cart.OPEN.equals(cart.status) && cart.updatedAt.plus(config.cartIdleTimeout()).isBefore(now())) {
            throw noSuchCart();
        }
        return cart;
    }

    /** When an open cart stops being reachable, unless it changes before. */
    public OffsetDateTime expiresAt(Cart cart) {
        return cart.updatedAt.plus(config.cartIdleTimeout());
    }

    private static String currencyOf(Cart cart) {
        return cart.items().isEmpty() ? null : cart.items().get(0).currency();
    }

    private int requireQuantity(BigDecimal quantity) {
        if (quantity == null) {
            throw new InvalidRequest("quantity: required, a whole number from 1 to " + config.maxQuantity());
        }
        if (quantity.stripTrailingZeros().scale() > 0 || quantity.compareTo(BigDecimal.ONE) < 0
                || quantity.compareTo(BigDecimal.valueOf(config.maxQuantity())) > 0) {
            throw new InvalidRequest("quantity: must be a whole number from 1 to " + config.maxQuantity() + ", was "
                    + quantity.toPlainString());
        }
        return quantity.intValueExact();
    }

    private static String requireCycle(String billingCycle) {
        if (!BILLING_CYCLES.contains(billingCycle)) {
            throw new InvalidRequest("billing_cycle: must be monthly or annual, was '" + billingCycle + "'");
        }
        return billingCycle;
    }

    static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw noSuchCart();
        }
    }

    private static NotFound noSuchCart() {
        return new NotFound("No such cart: it does not exist, has expired after a time without changes, or belongs "
                + "to another browser (its cookie is missing); start a new cart");
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
