package io.dotmac.workflow.definition;

import java.util.Objects;

/**
 * How a completed step is undone when the execution fails for good after it: a state-changing call
 * (refund the payment, revoke the licenses, tear down the order), run in reverse order of the steps
 * that completed, each recorded as a step of its own. Its parameters read the context as the
 * failure left it: the step's own result, unless a later step stored another under the same key.
 *
 * @param retry nullable: the step's own retry policy, else the engine's default, applies
 */
public record Compensation(ServiceCall call, RetryPolicy retry) {

    public Compensation {
        Objects.requireNonNull(call, "call");
    }
}
