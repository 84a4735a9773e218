package io.dotmac.licensing.license;

import io.dotmac.common.error.DomainException.InvalidRequest;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/** How long a license runs from its issue: a month or a year (calendar, in UTC). */
public enum BillingCycle {
    MONTHLY, ANNUAL;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Instant expiryFrom(Instant issuedAt) {
        var start = issuedAt.atOffset(ZoneOffset.UTC);
        return (this == MONTHLY ? start.plusMonths(1) : start.plusYears(1)).toInstant();
    }

    /**
     * The cycle named by a request; null when it names none (null or blank: the quote's cycle is
     * then used), anything else unknown a 400.
     */
    public static BillingCycle of(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        BillingCycle cycle = find(code);
        if (cycle == null) {
            throw new InvalidRequest("billing_cycle: must be monthly or annual, was '" + code + "'");
        }
        return cycle;
    }

    /** The cycle with this code (any case), or null for none or an unknown one. */
    public static BillingCycle find(String code) {
        if (code != null) {
            for (BillingCycle cycle : values()) {
                if (cycle.code().equalsIgnoreCase(code.trim())) {
                    return cycle;
                }
            }
        }
        return null;
    }

    /** Stored as its lower-case code. */
    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<BillingCycle, String> {
        @Override
        public String convertToDatabaseColumn(BillingCycle cycle) {
            return cycle == null ? null : cycle.code();
        }

        @Override
        public BillingCycle convertToEntityAttribute(String code) {
            return code == null ? null : BillingCycle.valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
