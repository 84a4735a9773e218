package io.dotmac.notification.notification;

/** Where a notification's delivery stands; {@code sent} and {@code failed} are final. */
public enum NotificationStatus {
    /** Recorded, waiting for an attempt (or in one: see {@code locked_until}). */
    QUEUED("queued"),
    /** Accepted by the SMTP server. */
    SENT("sent"),
    /** Every attempt failed; {@code last_error} says why. */
    FAILED("failed");

    private final String value;

    NotificationStatus(String value) {
        this.value = value;
    }

    /** As stored and as the API shows it. */
    public String value() {
        return value;
    }

    public static NotificationStatus of(String value) {
        for (NotificationStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown notification status: " + value);
    }
}
