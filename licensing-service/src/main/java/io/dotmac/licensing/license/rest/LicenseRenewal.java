package io.dotmac.licensing.license.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * The licenses of a quote after an invoice renewed them: until when ({@code period_end}), whether
 * this request renewed them or found the invoice applied before ({@code renewed}), and all of them
 * with their current keys.
 */
// Passed to Response.entity as an Object: no signature registers it (or what it holds) for a native image.
@RegisterForReflection(registerFullHierarchy = true)
public record LicenseRenewal(String sourceId, String invoiceId, Instant periodEnd, boolean renewed, List<LicenseView> licenses) {
}
