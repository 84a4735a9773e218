package io.dotmac.sales.shop.rest;

import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderStatus;
import io.dotmac.sales.shop.Cart;
import io.dotmac.sales.shop.CartLine;
import io.dotmac.sales.shop.CheckoutStatus;
import io.dotmac.sales.shop.OrderPages;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where a checked-out cart's purchase stands, as the order page shows it. */
@Schema(description = "A checkout: preparing (the quote and payment page are being made), awaiting_payment (pay at "
        + "checkout_url), paid (licensing and provisioning under way), live (at tenant_url) or failed (detail says why); "
        + "order_url is the shop's order page of the cart")
public record CheckoutView(UUID cartId, String status, String detail, String checkoutUrl, String quoteId, String orderStatus,
                           String tenantUrl, String organizationSlug, String customerName, String customerEmail, BigDecimal total,
                           String currency, String billingCycle, String orderUrl) {

    static CheckoutView of(CheckoutStatus checkout, String tenantBaseDomain, OrderPages orderPages) {
        Cart cart = checkout.cart();
        Order order = checkout.order();
        String status;
        String detail;
        String tenantUrl = null;
        // An order outweighs everything: the quote was paid, whatever the checkout's workflow said after.
        if (order != null && order.status == OrderStatus.ACTIVE) {
            status = "live";
            tenantUrl = "https://" + order.organizationSlug + "." + tenantBaseDomain;
            detail = "Your platform is live";
        } else if (order != null && order.status == OrderStatus.CANCELLED) {
            status = "failed";
            detail = "Your platform could not be set up; the order was cancelled and your payment is refunded";
        } else if (order != null) {
            status = "paid";
            detail = "Payment received; your licenses are issued and your platform is being set up";
        } else if (Cart.FAILED.equals(cart.status)) {
            status = "failed";
            detail = "The order could not be placed: " + cart.failureReason;
        } else if (cart.quoteId == null || cart.checkoutUrl == null) {
            status = "preparing";
            detail = "Preparing your order and its payment page";
        } else {
            status = "awaiting_payment";
            detail = "Waiting for your payment";
        }
        BigDecimal total = cart.items().stream().map(CartLine::lineTotal).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
        return new CheckoutView(cart.id, status, detail, cart.checkoutUrl, cart.quoteId,
                order == null ? null : order.status.name().toLowerCase(Locale.ROOT), tenantUrl, cart.organizationSlug,
                cart.customerName, cart.customerEmail, total, cart.items().isEmpty() ? null : cart.items().get(0).currency(),
                cart.billingCycle, orderPages.of(cart.id));
    }
}
