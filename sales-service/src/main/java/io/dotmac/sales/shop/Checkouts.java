package io.dotmac.sales.shop;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.outbox.OutboxEvent;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.common.payment.QuotePayment;
import io.dotmac.sales.order.OrderRepository;
import io.dotmac.sales.shop.catalog.CrmCatalog;
import io.dotmac.sales.slug.SlugReservations;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Checking a cart out, and where its purchase stands. The visitor's checkout is checked here
 * (today's prices, the total they saw, a free slug, an offered region) and handed to the workflow
 * engine as {@value #CHECKED_OUT} through the outbox, in the cart's transaction: the built-in
 * {@code shop_checkout} workflow makes the lead and the accepted quote in crm (which prices it from
 * its own catalog again, and reserves the slug), opens the payment in billing, and records both here
 * ({@link #recordPayment}); the accepted quote's journey does the rest, as for any quote. Checking
 * out again with the same details is the same checkout (a double click); with others, a 409.
 */
@ApplicationScoped
public class Checkouts {

    private static final Logger LOG = Logger.getLogger(Checkouts.class);
    public static final String CHECKED_OUT = "sales.cart.checked_out";

    private final CartRepository carts;
    private final Carts cartRules;
    private final CrmCatalog catalog;
    private final SlugReservations slugs;
    private final OutboxEventRepository outbox;
    private final OrderRepository orders;
    private final ShopConfig config;
    private final PaidQuotes payments;

    Checkouts(CartRepository carts, Carts cartRules, CrmCatalog catalog, SlugReservations slugs, OutboxEventRepository outbox,
              OrderRepository orders, ShopConfig config, PaidQuotes payments) {
        this.payments = payments;
        this.carts = carts;
        this.cartRules = cartRules;
        this.catalog = catalog;
        this.slugs = slugs;
        this.outbox = outbox;
        this.orders = orders;
        this.config = config;
    }

    public Uni<CheckoutStatus> checkout(String id, String secret, Contact contact, BigDecimal total) {
        UUID cartId = Carts.parse(id);
        if (!SlugReservations.SLUG.matcher(contact.organizationSlug()).matches()) {
            throw new InvalidRequest("organization_slug: '" + contact.organizationSlug() + "' is not an organization name "
                    + "(3 to 40 of a-z, 0-9 and inner hyphens, starting with a letter)");
        }
        if (!config.regions().contains(contact.region())) {
            throw new InvalidRequest("region: must be one of " + String.join(", ", config.regions()) + ", was '"
                    + contact.region() + "'");
        }
        return catalog.read().chain(products -> slugs.isFree(contact.organizationSlug()).chain(free ->
                Panache.withTransaction(() -> carts.lock(cartId).chain(found -> {
                    Cart cart = cartRules.reachable(found, secret);
                    if (Cart.CHECKED_OUT.equals(cart.status)) {
                        if (contact.sameAs(cart) && new PricedCart(cart, products).total().compareTo(total) == 0) {
                            return Uni.createFrom().item(new CheckoutStatus(cart, null));
                        }
                        throw new Conflict("This cart was checked out already, with other details");
                    }
                    Carts.requireOpen(cart);
                    PricedCart priced = new PricedCart(cart, products);
                    if (cart.items().isEmpty()) {
                        throw new Conflict("The cart is empty");
                    }
                    if (priced.pricesChanged()) {
                        throw new Conflict("Prices changed since these products were added: accept the new prices first");
                    }
                    if (priced.total().compareTo(total) != 0) {
                        throw new Conflict("The cart's total is " + priced.total().toPlainString() + ", not "
                                + total.toPlainString() + ": look at the cart again");
                    }
                    if (!free) {
                        throw new Conflict("organization slug '" + contact.organizationSlug() + "' is taken");
                    }
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    cart.customerName = contact.customerName();
                    cart.customerEmail = contact.customerEmail();
                    cart.companyName = contact.companyName();
                    cart.organizationSlug = contact.organizationSlug();
                    cart.region = contact.region();
                    cart.status = Cart.CHECKED_OUT;
                    cart.checkedOutAt = now;
                    cart.updatedAt = now;
                    return outbox.persist(OutboxEvent.of(CHECKED_OUT, cart.id.toString(), CHECKED_OUT, cart.tenantId,
                                    checkedOut(priced)))
                            .invoke(() -> LOG.infof("shop: cart %s checked out for '%s' (%s %s %s)", cart.id,
                                    cart.organizationSlug, priced.total().toPlainString(), cart.items().get(0).currency(),
                                    cart.billingCycle))
                            .replaceWith(new CheckoutStatus(cart, null));
                }))));
    }

    /** The visitor's view of their purchase: 404 before checkout, as for a cart not theirs. */
    public Uni<CheckoutStatus> status(String id, String secret) {
        UUID cartId = Carts.parse(id);
        return Panache.withSession(() -> carts.findById(cartId).chain(found -> {
            Cart cart = cartRules.reachable(found, secret);
            if (Cart.OPEN.equals(cart.status)) {
                throw new NotFound("This cart has not been checked out");
            }
            return withOrder(cart);
        }));
    }

    private Uni<CheckoutStatus> withOrder(Cart cart) {
        return cart.quoteId == null ? Uni.createFrom().item(new CheckoutStatus(cart, null))
                : orders.findByQuote(cart.tenantId, cart.quoteId).map(order -> new CheckoutStatus(cart, order));
    }

    /** Where the tenant's checked-out cart's purchase stands, as its visitor sees it; 404 for any other cart. */
    public Uni<CheckoutStatus> statusInTenant(String tenantId, String id) {
        UUID cartId = Carts.parse(id);
        return Panache.withSession(() -> carts.findById(cartId).chain(cart -> {
            if (cart == null || !cart.tenantId.equals(tenantId) || Cart.OPEN.equals(cart.status)) {
                throw new NotFound("No checked-out cart " + id + " in this tenant");
            }
            return withOrder(cart);
        }));
    }

    /**
     * The engine took the checkout up (shop_checkout's first step, undone by {@link #fail}): the
     * checked-out cart of the caller's tenant, 404 for any other.
     */
    public Uni<Cart> started(String tenantId, String id) {
        return Panache.withTransaction(() -> owned(tenantId, id).map(cart -> {
            if (!Cart.CHECKED_OUT.equals(cart.status)) {
                throw new Conflict("Cart " + id + "'s checkout failed: " + cart.failureReason + "; the visitor starts a new cart");
            }
            return cart;
        }));
    }

    /**
     * crm's accepted quote for the cart (recorded as soon as crm made it), then Stripe's page for it;
     * the same again is harmless, another quote a 409.
     */
    public Uni<Cart> recordPayment(String tenantId, String id, String quoteId, String checkoutUrl) {
        return Panache.withTransaction(() -> owned(tenantId, id).map(cart -> {
            if (cart.quoteId != null && !cart.quoteId.equals(quoteId)) {
                throw new Conflict("Cart " + id + " is paid through quote " + cart.quoteId + ", not " + quoteId);
            }
            if (Cart.FAILED.equals(cart.status)) {
                throw new Conflict("Cart " + id + "'s checkout failed: " + cart.failureReason);
            }
            cart.quoteId = quoteId;
            if (checkoutUrl != null) {
                cart.checkoutUrl = checkoutUrl;
            }
            cart.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
            LOG.infof("shop: cart %s is quote %s, paid at %s", cart.id, quoteId, checkoutUrl);
            return cart;
        }));
    }

    /**
     * The engine could not complete the checkout: the visitor is told why and starts again; a second
     * failure keeps the first reason. Once crm accepted the cart's quote, the quote's own journey
     * takes the payment and goes on, so nothing is failed here (an undo of nothing, answered as done):
     * the order page follows that journey.
     */
    public Uni<Cart> fail(String tenantId, String id, String reason) {
        return Panache.withTransaction(() -> owned(tenantId, id).map(cart -> {
            if (cart.quoteId != null) {
                LOG.warnf("shop: cart %s's checkout did not finish, but its quote %s is accepted: its journey goes on (%s)",
                        cart.id, cart.quoteId, reason);
            } else if (!Cart.FAILED.equals(cart.status)) {
                cart.status = Cart.FAILED;
                cart.failureReason = reason == null || reason.isBlank() ? "the order could not be placed" : reason;
                cart.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
                LOG.warnf("shop: cart %s's checkout failed: %s", cart.id, cart.failureReason);
            }
            return cart;
        }));
    }

    /**
     * The payment of the cart's quote was never made and cannot be any more: billing-service reports
     * it failed (its page closed unpaid). The visitor is told why and starts again. Harmless again;
     * a 409 for another quote, a payment not failed, or an order of the quote (paid after all).
     */
    public Uni<Cart> closeUnpaid(String tenantId, String id, String quoteId, String reason) {
        return payments.payment(quoteId).chain(payment -> {
            if (payment == null || !QuotePayment.FAILED.equals(payment.status())) {
                throw new Conflict("The payment of quote " + quoteId + " is "
                        + (payment == null ? "not known to billing-service" : payment.status()) + ", not failed: the checkout stays open");
            }
            return Panache.withTransaction(() -> owned(tenantId, id).chain(cart -> {
                if (!quoteId.equals(cart.quoteId)) {
                    throw new Conflict("Cart " + id + " is " + (cart.quoteId == null ? "not paid through a quote yet"
                            : "paid through quote " + cart.quoteId + ", not " + quoteId));
                }
                return orders.findByQuote(tenantId, quoteId).chain(order -> {
                    if (order != null) {
                        throw new Conflict("Quote " + quoteId + " has order " + order.id + ": it was paid after all");
                    }
                    if (Cart.FAILED.equals(cart.status)) {
                        return Uni.createFrom().item(cart);
                    }
                    cart.status = Cart.FAILED;
                    cart.failureReason = reason == null || reason.isBlank() ? "the payment was not made" : reason;
                    cart.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    LOG.warnf("shop: cart %s's quote %s was not paid: %s", cart.id, quoteId, cart.failureReason);
                    return Uni.createFrom().item(cart);
                });
            }));
        });
    }

    private Uni<Cart> owned(String tenantId, String id) {
        return carts.lock(Carts.parse(id)).map(cart -> {
            if (cart == null || !cart.tenantId.equals(tenantId) || Cart.OPEN.equals(cart.status)) {
                throw new NotFound("No checked-out cart " + id + " in this tenant");
            }
            return cart;
        });
    }

    /** What the engine needs to make the lead and quote: the contact and the lines at their agreed prices. */
    private static Map<String, Object> checkedOut(PricedCart priced) {
        Cart cart = priced.cart();
        List<Map<String, Object>> products = cart.items().stream().map(line -> {
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("product_code", line.productCode());
            product.put("quantity", line.quantity());
            product.put("unit_price", line.unitPrice());
            return product;
        }).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cart_id", cart.id.toString());
        data.put("customer_name", cart.customerName);
        data.put("customer_email", cart.customerEmail);
        data.put("company_name", cart.companyName);
        data.put("organization_slug", cart.organizationSlug);
        data.put("region", cart.region);
        data.put("billing_cycle", cart.billingCycle);
        data.put("currency", cart.items().get(0).currency());
        data.put("products", products);
        data.put("total_amount", priced.total());
        return data;
    }
}
