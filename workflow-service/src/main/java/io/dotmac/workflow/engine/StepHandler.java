package io.dotmac.workflow.engine;

import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepType;
import io.smallrye.mutiny.Uni;

/** Runs one step type; one implementation per {@link StepType}. Handlers never touch the database. */
public interface StepHandler {

    StepType type();

    /**
     * Whether the step calls outside the engine. Such a step's result is committed before the next
     * step runs; the others are deterministic over the context, so they are committed with the
     * next checkpoint (replaying them after a crash gives the same result).
     */
    boolean callsOut(StepDefinition step);

    Uni<StepOutcome> execute(StepInvocation invocation);
}
