package io.dotmac.licensing.license;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/**
 * Where a license stands. Active, suspended and revoked are stored; expired is what an active or
 * suspended license becomes when its expiry passes, derived when read, or stored when its
 * subscription ends (then no renewal extends it). Revoked is final.
 */
public enum LicenseStatus {
    ACTIVE, SUSPENDED, REVOKED, EXPIRED;

    /** The lower-case name used in the database and on the wire. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Stored as its lower-case code. */
    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<LicenseStatus, String> {
        @Override
        public String convertToDatabaseColumn(LicenseStatus status) {
            return status == null ? null : status.code();
        }

        @Override
        public LicenseStatus convertToEntityAttribute(String code) {
            return code == null ? null : LicenseStatus.valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
