package io.dotmac.workflow.engine;

import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepType;
import io.dotmac.workflow.expression.Templates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** {@code transform}: sets context values from templates; each key of {@code set} becomes a top-level context key. */
@ApplicationScoped
class TransformHandler implements StepHandler {

    private final DataLimits limits;

    TransformHandler(DataLimits limits) {
        this.limits = limits;
    }

    @Override
    public StepType type() {
        return StepType.TRANSFORM;
    }

    @Override
    public boolean callsOut(StepDefinition step) {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Uni<StepOutcome> execute(StepInvocation invocation) {
        return Uni.createFrom().item(() -> {
            invocation.record().input = invocation.step().set();
            Map<String, Object> values = (Map<String, Object>) Templates.resolve(invocation.step().set(), invocation.context(),
                    limits.maxTemplateResult());
            return (StepOutcome) new StepOutcome.Completed(values, values);
        }).onFailure().recoverWithItem(FailureClassifier::classify);
    }
}
