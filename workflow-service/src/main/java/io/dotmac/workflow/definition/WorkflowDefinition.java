package io.dotmac.workflow.definition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One version of a workflow, validated: its steps run in order over a context that starts with
 * the trigger's {@code inputs}. A running execution keeps the version it started with.
 *
 * @param description nullable
 * @param schedule    nullable: when the workflow starts itself
 */
public record WorkflowDefinition(String name, String version, String description, List<String> inputs,
        List<StepDefinition> steps, List<String> tags, List<Trigger> triggers, Schedule schedule) {

    /** What a workflow may be called. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,99}");

    /** The API's own paths beside /api/v1/workflows/{name}: a workflow so called could not be read, activated or deactivated. */
    public static final Set<String> RESERVED_NAMES = Set.of("execute", "executions", "stats", "subscriptions");

    public WorkflowDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        steps = List.copyOf(steps);
        tags = tags == null ? List.of() : List.copyOf(tags);
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }

    /** The trigger of this workflow for {@code event}, if it declares one. */
    public Optional<Trigger> trigger(String event) {
        return triggers.stream().filter(trigger -> trigger.event().equals(event)).findFirst();
    }

    public Optional<StepDefinition> step(String stepName) {
        return steps.stream().filter(step -> step.name().equals(stepName)).findFirst();
    }

    /** The step's position (0-based), or -1 if there is no step of that name. */
    public int indexOf(String stepName) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(stepName)) {
                return i;
            }
        }
        return -1;
    }
}
