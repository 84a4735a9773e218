package io.dotmac.sales.shop;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;

/**
 * A product in a cart: how many, and the unit price the visitor agreed to when adding it (or when
 * accepting the catalog's new prices), in its currency, at the cart's billing cycle.
 */
@RegisterForReflection
public record CartLine(String productCode, int quantity, BigDecimal unitPrice, String currency) {

    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    CartLine withQuantity(int newQuantity) {
        return new CartLine(productCode, newQuantity, unitPrice, currency);
    }

    CartLine withPrice(BigDecimal newPrice, String newCurrency) {
        return new CartLine(productCode, quantity, newPrice, newCurrency);
    }
}
