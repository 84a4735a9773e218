package io.dotmac.workflow.definition;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of step a workflow definition can contain, with the names they have in the JSON. */
public enum StepType {
    SERVICE_CALL("service_call"),
    CONDITION("condition"),
    TRANSFORM("transform");

    private final String wireName;

    StepType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the JSON definition, e.g. {@code service_call}. */
    public String wireName() {
        return wireName;
    }

    /** The type with this JSON name; empty for an unknown name so the parser can report it. */
    public static Optional<StepType> fromWire(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }
}
