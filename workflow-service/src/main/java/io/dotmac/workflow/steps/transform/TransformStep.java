package io.dotmac.workflow.steps.transform;

import io.dotmac.workflow.definition.Compensation;
import io.dotmac.workflow.definition.StepDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code transform}: sets context values from templates.
 *
 * @param set context key → template; each key becomes a top-level context key
 */
public record TransformStep(String name, boolean critical, String when, Map<String, Object> set, Compensation compensate)
        implements StepDefinition {

    public static final String TYPE = "transform";

    public TransformStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(set, "set");
        // Not Map.copyOf: a template may legitimately be JSON null, and order is kept for readability.
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
    }

    @Override
    public String type() {
        return TYPE;
    }
}
