package io.dotmac.licensing.license;

import java.util.List;

/**
 * A request to license what a customer bought with one source, the quote bought (its id). As asked,
 * {@code billingCycle} is null when the request named none; {@link LicenseService#bought} checks
 * the request against the quote and returns it with the quote's own id and cycle, which are issued.
 */
public record IssueLicenses(String customerId, String sourceId, BillingCycle billingCycle, List<ProductQuantity> products) {

    /** This request with the quote's spelling of its id and the cycle its licenses run for. */
    public IssueLicenses resolved(String quoteId, BillingCycle cycle) {
        return new IssueLicenses(customerId, quoteId, cycle, products);
    }

    /** A product and how many of it; the same code on several lines adds up. */
    public record ProductQuantity(String productCode, int quantity) {
    }
}
