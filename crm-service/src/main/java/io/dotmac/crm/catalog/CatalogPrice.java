package io.dotmac.crm.catalog;

import java.math.BigDecimal;

/**
 * A catalog product as pricing sees it: its code and name, its exact unit price and how it is billed,
 * and for a product billed monthly that can also be bought for a year, the price of a year (else null).
 */
public record CatalogPrice(String code, String name, BigDecimal unitPrice, String currency, String billingCycle,
                           BigDecimal annualUnitPrice) {

    public static final String MONTHLY = "monthly";
    public static final String ANNUAL = "annual";

    /** A product sold with its own cycle only. */
    public CatalogPrice(String code, String name, BigDecimal unitPrice, String currency, String billingCycle) {
        this(code, name, unitPrice, currency, billingCycle, null);
    }

    /**
     * The product as sold with {@code cycle}: itself for its own cycle or for none (null), its annual
     * price for a monthly product bought annually; null when it is not sold with that cycle.
     */
    public CatalogPrice at(String cycle) {
        if (cycle == null || cycle.equals(billingCycle)) {
            return this;
        }
        if (ANNUAL.equals(cycle) && MONTHLY.equals(billingCycle) && annualUnitPrice != null) {
            return new CatalogPrice(code, name, annualUnitPrice, currency, ANNUAL, null);
        }
        return null;
    }
}
