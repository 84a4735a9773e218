package io.dotmac.licensing.license.rest;

import java.time.Instant;
import java.util.List;

/**
 * The licenses of a quote after an invoice renewed them: until when ({@code period_end}), whether
 * this request renewed them or found the invoice applied before ({@code renewed}), and all of them
 * with their current keys.
 */
public record LicenseRenewal(String sourceId, String invoiceId, Instant periodEnd, boolean renewed, List<LicenseView> licenses) {
}
