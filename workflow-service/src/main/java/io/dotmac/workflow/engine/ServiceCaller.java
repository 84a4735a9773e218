package io.dotmac.workflow.engine;

import io.dotmac.workflow.client.ServiceOperation;
import io.dotmac.workflow.client.ServiceRegistry;
import io.dotmac.workflow.client.ServiceTokens;
import io.dotmac.workflow.definition.OperationSpec;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.execution.StepRecord;
import io.dotmac.workflow.expression.Templates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Makes one call a step names: resolves its params against the context (recording them as the
 * step's input), sends it through the registry with the step's Idempotency-Key when it changes
 * something and the engine's token for the execution's tenant, and bounds it by a timeout. Shared by service_call steps and condition refreshes.
 */
@ApplicationScoped
public class ServiceCaller {

    private final ServiceRegistry registry;
    private final ServiceTokens tokens;
    private final DataLimits limits;

    ServiceCaller(ServiceRegistry registry, ServiceTokens tokens, DataLimits limits) {
        this.registry = registry;
        this.tokens = tokens;
        this.limits = limits;
    }

    /** Whether the operation changes something, and so is sent with an Idempotency-Key. */
    public boolean changesSomething(ServiceCall call) {
        return registry.operation(call.service(), call.method()).map(OperationSpec::mutating).orElse(false);
    }

    @SuppressWarnings("unchecked")
    public Uni<Object> call(ServiceCall call, StepInvocation invocation, String idempotencyKey, Duration timeout) {
        Map<String, Object> context = invocation.context();
        StepRecord record = invocation.record();
        return Uni.createFrom().deferred(() -> {
            ServiceOperation operation = registry.find(call.service(), call.method()).orElseThrow(() ->
                    new IllegalArgumentException("no operation " + call.service() + "." + call.method()));
            Map<String, Object> params = call.params() == null ? Map.of() : (Map<String, Object>) Templates.resolve(call.params(), context,
                    limits.maxTemplateResult());
            record.input = params;
            return operation.invoke(params, idempotencyKey, tokens.authorization(invocation.tenantId()))
                    .ifNoItem().after(timeout).failWith(() -> new TimeoutException(
                            call.service() + "." + call.method() + " did not answer within " + timeout.toMillis() + " ms"))
                    .map(JsonCodec::toPlain);
        });
    }
}
