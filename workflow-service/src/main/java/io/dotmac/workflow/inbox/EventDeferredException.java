package io.dotmac.workflow.inbox;

import java.time.Duration;

/**
 * An event whose starts are beyond the tenant's quota: it is left in the inbox and acknowledged, and
 * {@link InboxDrainer} handles it again later, so that neither the event is lost nor its Kafka
 * partition (shared with other tenants' events) held up.
 */
class EventDeferredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    EventDeferredException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
