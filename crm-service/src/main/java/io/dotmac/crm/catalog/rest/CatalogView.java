package io.dotmac.crm.catalog.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dotmac.crm.catalog.Product;
import java.math.BigDecimal;
import java.util.List;

/**
 * The catalog as the shop shows it to anyone: each active product with its description and its exact
 * unit prices per billing cycle (JSON numbers with two decimals).
 */
public record CatalogView(List<CatalogProduct> products) {

    static CatalogView of(List<Product> products) {
        return new CatalogView(products.stream().map(CatalogProduct::of).toList());
    }

    /** A product of the catalog on the wire: no tenant data, products have none. */
    public record CatalogProduct(String code, String name, String description, String currency, UnitPrices unitPrices) {

        static CatalogProduct of(Product p) {
            return new CatalogProduct(p.code, p.name, p.description, p.currency, UnitPrices.of(p));
        }
    }

    /**
     * What one unit costs per billing cycle it can be bought with; a cycle it cannot be bought with is
     * absent, never null or zero.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnitPrices(BigDecimal monthly, BigDecimal annual) {

        static UnitPrices of(Product p) {
            // A product billed annually has its annual price in unit_price (and no annual_unit_price).
            if ("annual".equals(p.billingCycle)) {
                return new UnitPrices(null, p.unitPrice);
            }
            return new UnitPrices(p.unitPrice, p.annualUnitPrice);
        }
    }
}
