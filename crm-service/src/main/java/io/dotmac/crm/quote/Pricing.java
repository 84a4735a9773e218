package io.dotmac.crm.quote;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.crm.catalog.CatalogPrice;
import io.dotmac.crm.lead.LeadProduct;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prices products from the catalog, in exact decimal arithmetic: a line is unit price × quantity
 * with no rounding at all (a catalog price has two decimals, so the product has two as well), and
 * the total is the sum of the lines. A pure function, so it is tested without the application.
 */
public final class Pricing {

    public static final int SCALE = 2;

    private Pricing() {
    }

    /** Each product at its own billing cycle: {@link #price(List, Map, String)} without a chosen one. */
    public static PricedQuote price(List<LeadProduct> products, Map<String, CatalogPrice> catalog) {
        return price(products, catalog, null);
    }

    /**
     * @param catalog the catalog prices of the requested products, by code
     * @param chosenCycle the cycle the lead chose ({@code monthly}, {@code annual}): every product at
     *     its price for that cycle ({@link CatalogPrice#at}); null: each at its own, as the catalog lists it
     * @throws Conflict when a product is not in the catalog or not sold with the chosen cycle, a
     *     quantity is not positive, or the products do not share one currency and billing cycle
     *     (qualification prevents all four; the catalog may have changed since)
     */
    public static PricedQuote price(List<LeadProduct> products, Map<String, CatalogPrice> catalog, String chosenCycle) {
        if (products.isEmpty()) {
            throw new Conflict("There are no products to price");
        }
        List<QuoteItem> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(SCALE);
        String currency = null;
        String billingCycle = null;
        for (LeadProduct product : products) {
            CatalogPrice listed = catalog.get(product.productCode());
            if (listed == null) {
                throw new Conflict("Product '" + product.productCode() + "' is no longer in the catalog");
            }
            CatalogPrice price = listed.at(chosenCycle);
            if (price == null) {
                throw new Conflict("Product '" + product.productCode() + "' is not sold with " + chosenCycle
                        + " billing (it is billed " + listed.billingCycle() + ")");
            }
            if (product.quantity() < 1) {
                throw new Conflict("Quantity of '" + product.productCode() + "' must be positive, was " + product.quantity());
            }
            if (currency == null) {
                currency = price.currency();
                billingCycle = price.billingCycle();
            } else if (!currency.equals(price.currency()) || !billingCycle.equals(price.billingCycle())) {
                throw new Conflict("Products are billed in different currencies or cycles: " + currency + " "
                        + billingCycle + " and " + price.currency() + " " + price.billingCycle() + " (" + price.code() + ")");
            }
            // UNNECESSARY: a price with more than two decimals is a catalog error to fail on, not to round away.
            BigDecimal unitPrice = price.unitPrice().setScale(SCALE, RoundingMode.UNNECESSARY);
            BigDecimal lineTotal = unitPrice.multiply(BigDecimal.valueOf(product.quantity()));
            items.add(new QuoteItem(price.code(), price.name(), product.quantity(), unitPrice, lineTotal));
            total = total.add(lineTotal);
        }
        return new PricedQuote(List.copyOf(items), total, currency, billingCycle);
    }
}
