package io.dotmac.sales.shop;

import io.dotmac.sales.shop.catalog.Catalog;

/** A cart beside the catalog as read with it: what a view of the cart compares its agreed prices with. */
public record PricedCart(Cart cart, Catalog catalog) {
}
