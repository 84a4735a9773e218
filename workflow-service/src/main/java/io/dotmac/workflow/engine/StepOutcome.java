package io.dotmac.workflow.engine;

import java.time.Instant;
import java.util.Map;

/** What one attempt of a step came to. */
public sealed interface StepOutcome {

    /** Done: {@code output} is recorded on the step, {@code contextUpdates} go into the context. */
    record Completed(Object output, Map<String, Object> contextUpdates) implements StepOutcome {
    }

    /** Failed; a retryable failure (timeout, connection refused, 5xx) is tried again per the retry policy. */
    record Failed(String error, boolean retryable) implements StepOutcome {
    }

    /**
     * Not yet: check again at {@code recheckAt}, and fail once {@code deadline} has passed; an event
     * on {@code wakeEvent} (nullable) whose key is {@code wakeKey} wakes it sooner.
     */
    record Waiting(Instant deadline, Instant recheckAt, String reason, String wakeEvent, String wakeKey) implements StepOutcome {
    }
}
