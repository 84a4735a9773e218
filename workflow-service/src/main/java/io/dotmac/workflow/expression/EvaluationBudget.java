package io.dotmac.workflow.expression;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The time left to the evaluation running on this thread. Expressions have no loops, so their cost
 * is in the operators over the context's data; {@link BoundedArithmetic} and {@link BoundedRegex}
 * check the budget as they go, and an evaluation past it fails instead of holding the thread (an
 * event loop, where the engine drives executions).
 */
final class EvaluationBudget {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private EvaluationBudget() {
    }

    static <T> T within(Duration budget, Supplier<T> work) {
        Deadline outer = CURRENT.get();
        CURRENT.set(new Deadline(System.nanoTime() + budget.toNanos(), budget));
        try {
            return work.get();
        } finally {
            CURRENT.set(outer);
        }
    }

    /** @throws OverBudgetException when the evaluation on this thread has used up its time */
    static void check() {
        Deadline deadline = CURRENT.get();
        if (deadline != null && System.nanoTime() - deadline.at() > 0) {
            throw new OutOfTimeException("took longer than its budget of " + deadline.budget().toMillis()
                    + " ms (workflow.limits.expression-time)");
        }
    }

    private record Deadline(long at, Duration budget) {
    }

    /** An expression that went beyond one of its limits (time, string length, regular expression size). */
    static class OverBudgetException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        OverBudgetException(String message) {
            super(message, null, false, false);
        }
    }

    /** Out of time, which a busy machine (a pause, the other tenants' work) can cause as well as the expression. */
    static final class OutOfTimeException extends OverBudgetException {

        private static final long serialVersionUID = 1L;

        OutOfTimeException(String message) {
            super(message);
        }
    }
}
