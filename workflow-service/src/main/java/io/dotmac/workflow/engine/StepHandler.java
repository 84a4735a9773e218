package io.dotmac.workflow.engine;

import io.dotmac.workflow.definition.StepDefinition;
import io.smallrye.mutiny.Uni;

/** Runs one type of step; one implementation per {@code StepType}, beside it. Handlers never touch the database. */
public interface StepHandler {

    /** The name of the type of step it runs ({@code StepType.name()}). */
    String type();

    /**
     * Whether the step calls outside the engine. The others are deterministic over the context, so
     * they are committed with the next checkpoint (replaying them after a crash gives the same result).
     */
    boolean callsOut(StepDefinition step);

    /**
     * Whether the step's call, sent again after a crash before its answer was written, is answered
     * alike: a call that changes something, answered again for its Idempotency-Key. Only such answers
     * may stay unwritten while the execution goes on (up to {@code workflow.checkpoint-interval});
     * a read's answer is committed before the next step runs, since read again it may say otherwise
     * than what the steps after it were sent with.
     */
    default boolean answersAlikeWhenSentAgain(StepDefinition step) {
        return false;
    }

    Uni<StepOutcome> execute(StepInvocation invocation);
}
