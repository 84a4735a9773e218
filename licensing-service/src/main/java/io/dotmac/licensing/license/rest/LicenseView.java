package io.dotmac.licensing.license.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record LicenseView(UUID id, String customerId, String sourceId, String productCode, int seats,
                          List<String> features, String status,
                          @Schema(description = "The holds on it, sorted (operator, invoice:<id>): suspended while any is on it")
                          List<String> holds,
                          String billingCycle, Instant issuedAt, Instant expiresAt, String keyId, String licenseKey) {
}
