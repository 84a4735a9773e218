package io.dotmac.licensing.license.rest;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "valid, or why not: malformed, bad_signature, unknown, expired, revoked, suspended; the "
        + "license's fields are null when the key is malformed or badly signed, the key's own when unknown (not "
        + "stored here), the stored license's otherwise")
public record VerifyResponse(boolean valid, String reason, UUID licenseId,
                             @Schema(description = "The tenant that issued the license, customer_id being one of its "
                                     + "customers; null only for an unknown key issued before keys named their tenant")
                             String tenantId, String productCode, String customerId, Instant expiresAt) {
}
