package io.dotmac.workflow.steps.transform;

import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.engine.DataLimits;
import io.dotmac.workflow.engine.FailureClassifier;
import io.dotmac.workflow.engine.StepHandler;
import io.dotmac.workflow.engine.StepInvocation;
import io.dotmac.workflow.engine.StepOutcome;
import io.dotmac.workflow.expression.Templates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Runs a {@link TransformStep}: each key of {@code set} becomes a top-level context key. */
@ApplicationScoped
class TransformHandler implements StepHandler {

    private final DataLimits limits;

    TransformHandler(DataLimits limits) {
        this.limits = limits;
    }

    @Override
    public String type() {
        return TransformStep.TYPE;
    }

    @Override
    public boolean callsOut(StepDefinition step) {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Uni<StepOutcome> execute(StepInvocation invocation) {
        TransformStep step = (TransformStep) invocation.step();
        return Uni.createFrom().item(() -> {
            invocation.record().input = step.set();
            Map<String, Object> values = (Map<String, Object>) Templates.resolve(step.set(), invocation.context(),
                    limits.maxTemplateResult());
            return (StepOutcome) new StepOutcome.Completed(values, values);
        }).onFailure().recoverWithItem(FailureClassifier::classify);
    }
}
