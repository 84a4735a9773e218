package io.dotmac.workflow.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/** A started execution (or the one its idempotency_key started before: {@code created} false). */
// Passed to Response.entity as an Object: no signature registers it (or what it holds) for a native image.
@RegisterForReflection(registerFullHierarchy = true)
public record ExecutionAccepted(UUID executionId, String status, boolean created) {
}
