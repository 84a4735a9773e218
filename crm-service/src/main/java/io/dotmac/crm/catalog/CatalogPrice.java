package io.dotmac.crm.catalog;

import java.math.BigDecimal;

/** A catalog product as pricing sees it: its code and name, its exact unit price and how it is billed. */
public record CatalogPrice(String code, String name, BigDecimal unitPrice, String currency, String billingCycle) {
}
