package io.dotmac.sales.shop.catalog;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.util.Map;

/** A product as crm-service's public catalog offers it: its exact unit price per billing cycle sold. */
@RegisterForReflection
public record CatalogProduct(String code, String name, String description, String currency,
                             Map<String, BigDecimal> unitPrices) {

    /** Its unit price at this billing cycle, or null if it is not sold so. */
    public BigDecimal unitPrice(String billingCycle) {
        return unitPrices == null ? null : unitPrices.get(billingCycle);
    }
}
