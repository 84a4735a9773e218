package io.dotmac.licensing.license.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record LicenseView(UUID id, String customerId, String sourceId, String productCode, int seats,
                          List<String> features, String status, String billingCycle, Instant issuedAt,
                          Instant expiresAt, String keyId, String licenseKey) {
}
