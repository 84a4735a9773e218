package io.dotmac.sales.order;

import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.sales.support.LowercaseEnumConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where an order is: {@code draft → submitted → processing → active}, or {@code failed} (with the
 * reason; processing again resumes) or, from any of these, {@code cancelled} (for good, with what
 * it provisioned torn down). {@link Order} enforces the transitions.
 */
public enum OrderStatus {
    DRAFT, SUBMITTED, PROCESSING, ACTIVE, FAILED, CANCELLED;

    /** The word the API, the database and the events use. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A status named in a request; 400 naming the allowed ones otherwise. */
    public static OrderStatus parse(String field, String text) {
        for (OrderStatus status : values()) {
            if (status.wire().equals(text)) {
                return status;
            }
        }
        throw new InvalidRequest(field + " must be one of "
                + Arrays.stream(values()).map(OrderStatus::wire).collect(Collectors.joining(", ")) + ", was '" + text + "'");
    }

    @Converter
    public static class Column extends LowercaseEnumConverter<OrderStatus> {
        public Column() {
            super(OrderStatus.class);
        }
    }
}
