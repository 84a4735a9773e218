package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.expression.DataSize;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * The sizes a step's outcome may have before it is applied: its output, and the context it leaves.
 * Checked by the runner, so that a definition that grows its context (each step doubling it, say)
 * fails its own execution with the limit and the size, instead of running the engine out of memory
 * when the context is written.
 */
@ApplicationScoped
class DataLimits {


    private final long maxContext;
    private final long maxStepOutput;
    private final long maxTemplateResult;

    DataLimits(EngineConfig config) {
        this.maxContext = config.limits().maxContext().asLongValue();
        this.maxStepOutput = config.limits().maxStepOutput().asLongValue();
        this.maxTemplateResult = config.limits().maxTemplateResult().asLongValue();
    }

    /** The largest result a step's templates may resolve to (read through the bean's proxy: a method, not the field). */
    long maxTemplateResult() {
        return maxTemplateResult;
    }

    /** What is wrong with applying {@code done} to {@code context} (it is not changed), or null when it fits. */
    String problem(Map<String, Object> context, StepOutcome.Completed done, boolean updatesContext) {
        String output = tooLarge("its output", done.output(), maxStepOutput, "max-step-output");
        if (output != null || !updatesContext) {
            return output;
        }
        // A transform's updates are its output, counted already.
        String updates = done.contextUpdates() == done.output() ? null
                : tooLarge("what it puts into the context", done.contextUpdates(), maxStepOutput, "max-step-output");
        if (updates != null) {
            return updates;
        }
        Map<String, Object> after = new HashMap<>(context);
        after.putAll(done.contextUpdates());
        return tooLarge("the context after it", after, maxContext, "max-context");
    }

    // Counted only up to the limit: this runs on the event loop, and past it the size does not matter.
    private static String tooLarge(String what, Object value, long limit, String setting) {
        if (DataSize.upTo(value, limit) <= limit) {
            return null;
        }
        return what + " would be more than " + limit + " bytes as JSON, the limit (workflow.limits." + setting + ")";
    }
}
