package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/** {@code service_call}: calls another service; its answer goes into the context under the step's result key. */
@ApplicationScoped
class ServiceCallHandler implements StepHandler {

    private final ServiceCaller caller;
    private final EngineConfig config;

    ServiceCallHandler(ServiceCaller caller, EngineConfig config) {
        this.caller = caller;
        this.config = config;
    }

    @Override
    public StepType type() {
        return StepType.SERVICE_CALL;
    }

    @Override
    public boolean callsOut(StepDefinition step) {
        return true;
    }

    @Override
    public boolean answersAlikeWhenSentAgain(StepDefinition step) {
        return caller.changesSomething(step.call());
    }

    @Override
    public Uni<StepOutcome> execute(StepInvocation invocation) {
        StepDefinition step = invocation.step();
        ServiceCall call = step.call();
        return caller.call(call, invocation, invocation.idempotencyKey(),
                        step.timeout() != null ? step.timeout() : config.stepTimeout())
                .map(result -> {
                    // HashMap: a service may answer null, which Map.of refuses.
                    Map<String, Object> update = new HashMap<>();
                    update.put(call.resultKey(), result);
                    return (StepOutcome) new StepOutcome.Completed(result, update);
                })
                .onFailure().recoverWithItem(FailureClassifier::classify);
    }
}
