package io.dotmac.crm.quote;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** A quote's life: draft, sent to the customer, then accepted, rejected or expired (the last three are final). */
public enum QuoteStatus {
    DRAFT, SENT, ACCEPTED, REJECTED, EXPIRED;

    /** The name in the API and the database. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the quote is still open, so that passing its validity date expires it. */
    public boolean open() {
        return this == DRAFT || this == SENT;
    }

    /** Stores the lower-case name. */
    @Converter
    public static class DbConverter implements AttributeConverter<QuoteStatus, String> {
        @Override
        public String convertToDatabaseColumn(QuoteStatus status) {
            return status == null ? null : status.value();
        }

        @Override
        public QuoteStatus convertToEntityAttribute(String value) {
            return value == null ? null : QuoteStatus.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
