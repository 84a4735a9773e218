package io.dotmac.workflow.definition;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a workflow as the engine runs it. Which fields are set depends on the type; the
 * constructor enforces that, so the engine never meets a service_call without a call.
 *
 * @param critical  false: a failure is recorded and the execution goes on
 * @param when      guard expression evaluated before the step; false skips it (null: always runs)
 * @param call      service_call only: the call to make
 * @param condition condition only: the expression that must become true
 * @param refresh   condition only, nullable: a read-only call whose result refreshes the context
 *                  before each re-evaluation
 * @param set       transform only: context key → template
 * @param timeout   nullable; service_call: per-attempt call timeout; condition: how long to wait for
 *                  it to become true (null: no waiting, a false condition fails the step)
 * @param retry     nullable: the engine's configured default applies
 * @param wakeOn    condition only, nullable: the event that wakes the waiting condition at once
 * @param error     condition only, nullable: a template of the step's error when the condition stays
 *                  false (null: the engine says which condition was false)
 * @param compensate nullable: how the step is undone if the execution fails for good after it completed
 */
public record StepDefinition(String name, StepType type, boolean critical, String when, ServiceCall call,
        String condition, ServiceCall refresh, Map<String, Object> set, Duration timeout, RetryPolicy retry,
        WakeOn wakeOn, String error, Compensation compensate) {

    /** How the engine names a step's undo ({@code compensate_<step>}); no step of a definition is named so. */
    public static final String UNDO_PREFIX = "compensate_";

    public StepDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        requireFor(type == StepType.SERVICE_CALL, call, "call", name);
        requireFor(type == StepType.CONDITION, condition, "condition", name);
        requireFor(type == StepType.TRANSFORM, set, "set", name);
        if ((refresh != null || wakeOn != null || error != null) && type != StepType.CONDITION) {
            throw new IllegalArgumentException("step " + name + ": only a condition step has a refresh, wake_on or error");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("step " + name + ": timeout must be positive, was " + timeout);
        }
        // Not Map.copyOf: a template may legitimately be JSON null, and order is kept for readability.
        set = set == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    private static void requireFor(boolean expected, Object value, String field, String step) {
        if (expected && value == null) {
            throw new IllegalArgumentException("step " + step + ": " + field + " is required for this type");
        }
        if (!expected && value != null) {
            throw new IllegalArgumentException("step " + step + ": " + field + " is not allowed for this type");
        }
    }

    /** The step as it runs when it undoes {@code forward}: a call of {@code forward}'s compensation, critical. */
    public static StepDefinition compensating(StepDefinition forward) {
        Compensation compensation = forward.compensate();
        return new StepDefinition(UNDO_PREFIX + forward.name(), StepType.SERVICE_CALL, true, null, compensation.call(),
                null, null, null, null, compensation.retry() != null ? compensation.retry() : forward.retry(), null, null, null);
    }

    /** Whether the step may wait durably: a condition with a timeout, rather than a one-shot check. */
    public boolean waits() {
        return type == StepType.CONDITION && timeout != null;
    }
}
