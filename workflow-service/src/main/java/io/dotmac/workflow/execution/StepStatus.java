package io.dotmac.workflow.execution;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where one step of one run of an execution is, spelt lowercase like {@link ExecutionStatus}
 * ({@code skipped} is the guide's; {@code waiting} and {@code cancelled} are ours).
 */
public enum StepStatus {
    PENDING, RUNNING, WAITING, COMPLETED, FAILED, SKIPPED, CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** As stored and shown: {@code skipped}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** A status read from the database, which holds only {@link #wire()} values (V10). */
    public static StepStatus stored(String text) {
        return Arrays.stream(values()).filter(status -> status.wire.equalsIgnoreCase(text)).findFirst()
                .orElseThrow(() -> new IllegalStateException("not a step status: " + text));
    }

    @Override
    public String toString() {
        return wire;
    }
}
