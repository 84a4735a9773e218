package io.dotmac.licensing.license;

import java.util.List;

/** A request to license what a customer bought with one source (quote or order). */
public record IssueLicenses(String customerId, String sourceId, BillingCycle billingCycle, List<ProductQuantity> products) {

    /** A product and how many of it; the same code on several lines adds up. */
    public record ProductQuantity(String productCode, int quantity) {
    }
}
