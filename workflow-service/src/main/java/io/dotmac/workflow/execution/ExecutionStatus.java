package io.dotmac.workflow.execution;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an execution is; terminal statuses never change again except by an explicit retry. Spelt
 * as the product's original guide spells them, lowercase, in the API, the tables, logs and
 * metrics ({@link #wire()}); {@code waiting} is ours (a condition waiting durably).
 */
public enum ExecutionStatus {
    PENDING, RUNNING, WAITING, COMPLETED, FAILED, CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** As stored and shown: {@code completed}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The status spelt {@code text}, in any case; empty for anything else. */
    public static Optional<ExecutionStatus> of(String text) {
        return text == null ? Optional.empty()
                : Arrays.stream(values()).filter(status -> status.wire.equalsIgnoreCase(text.trim())).findFirst();
    }

    /** A status read from the database, which holds only {@link #wire()} values (V10). */
    public static ExecutionStatus stored(String text) {
        return of(text).orElseThrow(() -> new IllegalStateException("not an execution status: " + text));
    }

    @Override
    public String toString() {
        return wire;
    }
}
