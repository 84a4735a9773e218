package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.LargeData;
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
public class DataLimits {

    private final long maxContext;
    private final long maxStepOutput;
    private final long maxTemplateResult;

    DataLimits(EngineConfig config) {
        this.maxContext = config.limits().maxContext().asLongValue();
        this.maxStepOutput = config.limits().maxStepOutput().asLongValue();
        this.maxTemplateResult = config.limits().maxTemplateResult().asLongValue();
    }

    /** The largest result a step's templates may resolve to (read through the bean's proxy: a method, not the field). */
    public long maxTemplateResult() {
        return maxTemplateResult;
    }

    /** What checking {@code done} against the limits found: the problem (null when it fits), and the size it counted. */
    record Verdict(String problem, long bytes) {
    }

    /**
     * About how much data checking {@code done} would walk: the context as last counted and the
     * outcome, counted only until the sum passes {@link LargeData#INLINE_BYTES} (so this is cheap
     * wherever it runs).
     */
    static long toCount(ExecutionState s, StepOutcome.Completed done) {
        long bytes = s.dataBytes;
        if (!LargeData.large(bytes)) {
            bytes += DataSize.upTo(done.output(), LargeData.INLINE_BYTES - bytes);
        }
        if (!LargeData.large(bytes) && done.contextUpdates() != done.output()) {
            bytes += DataSize.upTo(done.contextUpdates(), LargeData.INLINE_BYTES - bytes);
        }
        return bytes;
    }

    /**
     * What is wrong with applying {@code done} to {@code context} (it is not changed), and the largest
     * size counted: its output's, or the context's after it.
     */
    Verdict check(Map<String, Object> context, StepOutcome.Completed done, boolean updatesContext) {
        long output = DataSize.upTo(done.output(), maxStepOutput);
        if (output > maxStepOutput) {
            return new Verdict(tooLarge("its output", maxStepOutput, "max-step-output"), output);
        }
        if (!updatesContext) {
            return new Verdict(null, output);
        }
        // A transform's updates are its output, counted already.
        if (done.contextUpdates() != done.output() && DataSize.upTo(done.contextUpdates(), maxStepOutput) > maxStepOutput) {
            return new Verdict(tooLarge("what it puts into the context", maxStepOutput, "max-step-output"), output);
        }
        Map<String, Object> after = new HashMap<>(context);
        after.putAll(done.contextUpdates());
        long size = DataSize.upTo(after, maxContext);
        return new Verdict(size > maxContext ? tooLarge("the context after it", maxContext, "max-context") : null,
                Math.max(output, size));
    }

    /** What is wrong with starting an execution with {@code context} (null when it fits), and its size. */
    Verdict checkStart(Map<String, Object> context) {
        long size = DataSize.upTo(context, maxContext);
        return new Verdict(size > maxContext ? tooLarge("its context", maxContext, "max-context") : null, size);
    }

    private static String tooLarge(String what, long limit, String setting) {
        return what + " would be more than " + limit + " bytes as JSON, the limit (workflow.limits." + setting + ")";
    }
}
