package io.dotmac.licensing.license;

import java.time.Instant;
import java.util.List;

/**
 * The licenses bought with one source after a paid invoice renewed them to {@code periodEnd}:
 * whether this request renewed them ({@code renewed}) or found the invoice applied before, and all
 * of them, with their keys.
 */
public record RenewedLicenses(String sourceId, String invoiceId, Instant periodEnd, boolean renewed, List<License> licenses) {
}
