package io.dotmac.workflow.steps;

import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepType;
import io.dotmac.workflow.steps.condition.ConditionType;
import io.dotmac.workflow.steps.servicecall.ServiceCallType;
import io.dotmac.workflow.steps.transform.TransformType;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every type of step a definition can have. A new type is a package beside these (its record, its
 * {@link StepType}, its {@code StepHandler}) and a line here.
 */
public final class StepTypes {

    public static final List<StepType<?>> ALL = List.of(
            new ServiceCallType(),
            new ConditionType(),
            new TransformType());

    private StepTypes() {
    }

    public static Optional<StepType<?>> named(String name) {
        return ALL.stream().filter(type -> type.name().equals(name)).findFirst();
    }

    /** The type of {@code step}. */
    public static StepType<?> of(StepDefinition step) {
        return named(step.type()).orElseThrow(() -> new IllegalStateException("no step type " + step.type()));
    }

    /** Their names, as messages list them. */
    public static String names() {
        return ALL.stream().map(StepType::name).collect(Collectors.joining(", "));
    }
}
