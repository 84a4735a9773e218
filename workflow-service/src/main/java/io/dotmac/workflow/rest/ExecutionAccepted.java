package io.dotmac.workflow.rest;

import java.util.UUID;

/** A started execution (or the one its idempotency_key started before: {@code created} false). */
public record ExecutionAccepted(UUID executionId, String status, boolean created) {
}
