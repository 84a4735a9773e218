package io.dotmac.licensing.license;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What verifying a key found. The license fields are null when the key cannot be read as ours
 * (malformed, bad signature); they come from the key itself when it is ours but no such license
 * is stored (unknown), from the stored license otherwise. {@code tenantId} is the tenant that issued
 * the license: null only for an unknown key of the first format, which names none.
 */
public record Verification(Reason reason, UUID licenseId, String tenantId, String productCode, String customerId,
                           Instant expiresAt) {

    public enum Reason {
        VALID, MALFORMED, BAD_SIGNATURE, UNKNOWN, EXPIRED, REVOKED, SUSPENDED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean valid() {
        return reason == Reason.VALID;
    }

    static Verification unreadable(Reason reason) {
        return new Verification(reason, null, null, null, null, null);
    }
}
