package io.dotmac.workflow.engine;

import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.execution.StepRecord;
import java.time.Instant;
import java.util.Map;

/**
 * One attempt of one step, as a handler sees it: the step, the context it may read, the step's
 * row (its start, retries, a waiting condition's deadline), and the Idempotency-Key its effects
 * carry ({@code <execution id>:<step name>}, the same on every attempt and after a crash), and the
 * execution's tenant, for whom its calls are made.
 */
public record StepInvocation(StepDefinition step, Map<String, Object> context, StepRecord record,
                             String idempotencyKey, String tenantId, Instant now) {
}
