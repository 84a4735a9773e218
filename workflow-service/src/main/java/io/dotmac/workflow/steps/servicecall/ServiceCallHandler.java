package io.dotmac.workflow.steps.servicecall;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.engine.FailureClassifier;
import io.dotmac.workflow.engine.ServiceCaller;
import io.dotmac.workflow.engine.StepHandler;
import io.dotmac.workflow.engine.StepInvocation;
import io.dotmac.workflow.engine.StepOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/** Runs a {@link ServiceCallStep}: its answer goes into the context under the call's result key. */
@ApplicationScoped
class ServiceCallHandler implements StepHandler {

    private final ServiceCaller caller;
    private final EngineConfig config;

    ServiceCallHandler(ServiceCaller caller, EngineConfig config) {
        this.caller = caller;
        this.config = config;
    }

    @Override
    public String type() {
        return ServiceCallStep.TYPE;
    }

    @Override
    public boolean callsOut(StepDefinition step) {
        return true;
    }

    @Override
    public boolean answersAlikeWhenSentAgain(StepDefinition step) {
        return caller.changesSomething(((ServiceCallStep) step).call());
    }

    @Override
    public Uni<StepOutcome> execute(StepInvocation invocation) {
        ServiceCallStep step = (ServiceCallStep) invocation.step();
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
