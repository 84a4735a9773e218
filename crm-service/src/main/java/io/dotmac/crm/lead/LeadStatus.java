package io.dotmac.crm.lead;

import io.dotmac.common.error.DomainException.InvalidRequest;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a lead stands: new, then qualified or disqualified by qualification, converted once a quote of it is accepted. */
public enum LeadStatus {
    NEW, QUALIFIED, DISQUALIFIED, CONVERTED;

    /** The name in the API and the database. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named by a query parameter; 400 naming the parameter if there is none such. */
    public static LeadStatus parse(String parameter, String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidRequest(parameter + " must be one of "
                        + Arrays.stream(values()).map(LeadStatus::value).collect(Collectors.joining(", "))
                        + ", was '" + value + "'"));
    }

    /** Stores the lower-case name. */
    @Converter
    public static class DbConverter implements AttributeConverter<LeadStatus, String> {
        @Override
        public String convertToDatabaseColumn(LeadStatus status) {
            return status == null ? null : status.value();
        }

        @Override
        public LeadStatus convertToEntityAttribute(String value) {
            return value == null ? null : LeadStatus.valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
