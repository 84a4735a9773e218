package io.dotmac.notification.paymentfailed;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How far dunning has come with an unpaid invoice, as the caller says: the collection just failed,
 * it is still unpaid some days on, or the customer's platform is suspended for it. Each is one
 * email per invoice.
 */
public enum DunningStage {
    FAILED, REMINDER, SUSPENDED;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** As the API takes and shows it, and as stored: {@code reminder}. */
    @JsonValue
    public String value() {
        return value;
    }

    /** The stage of a stored notification, which holds only {@link #value()}s (V6 checks them). */
    public static DunningStage of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
