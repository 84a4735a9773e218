package io.dotmac.workflow.definition;

import java.util.Objects;

/**
 * What wakes a waiting condition at once instead of at its next check: an event on {@code event}
 * whose key (the business id, e.g. the quote id) equals {@code key}, a template over the context
 * resolved when the execution starts waiting.
 */
public record WakeOn(String event, String key) {

    public WakeOn {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(key, "key");
    }
}
