package io.dotmac.workflow.quota;

import java.time.Duration;

/** A start beyond one of the tenant's quotas: the API answers 429 with Retry-After, an event waits in the inbox. */
public class QuotaExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public QuotaExceededException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    /** When a start of this tenant may be admitted again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
