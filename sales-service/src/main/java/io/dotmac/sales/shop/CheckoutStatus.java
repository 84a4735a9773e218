package io.dotmac.sales.shop;

import io.dotmac.sales.order.Order;

/** A checked-out cart with the order made from its quote, if there is one yet. */
public record CheckoutStatus(Cart cart, Order order) {
}
