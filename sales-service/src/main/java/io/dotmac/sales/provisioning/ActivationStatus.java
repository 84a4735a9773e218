package io.dotmac.sales.provisioning;

import io.dotmac.sales.support.LowercaseEnumConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/**
 * A service activation is {@code pending} until it {@code completed} or {@code failed} (and may be tried again);
 * {@code deprovisioned} once its order was cancelled, whichever of those it was.
 */
public enum ActivationStatus {
    PENDING, COMPLETED, FAILED, DEPROVISIONED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Converter
    public static class Column extends LowercaseEnumConverter<ActivationStatus> {
        public Column() {
            super(ActivationStatus.class);
        }
    }
}
