package io.dotmac.sales.shop;

import io.dotmac.sales.shop.catalog.Catalog;
import io.dotmac.sales.shop.catalog.CatalogProduct;
import java.math.BigDecimal;

/** A cart beside the catalog as read with it: what a view of the cart, and checkout, compare its agreed prices with. */
public record PricedCart(Cart cart, Catalog catalog) {

    /** Today's unit price of the line's product at the cart's cycle and in its currency, or null if no longer sold so. */
    public BigDecimal todaysPrice(CartLine line) {
        CatalogProduct product = catalog.product(line.productCode()).orElse(null);
        return product == null || !line.currency().equals(product.currency()) ? null : product.unitPrice(cart.billingCycle);
    }

    public boolean priceChanged(CartLine line) {
        BigDecimal today = todaysPrice(line);
        return today == null || today.compareTo(line.unitPrice()) != 0;
    }

    public boolean pricesChanged() {
        return cart.items().stream().anyMatch(this::priceChanged);
    }

    /** The sum of the lines at their agreed prices, exact. */
    public BigDecimal total() {
        return cart.items().stream().map(CartLine::lineTotal).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    public String name(CartLine line) {
        return catalog.product(line.productCode()).map(CatalogProduct::name).orElse(line.productCode());
    }
}
