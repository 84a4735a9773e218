package io.dotmac.workflow.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/** What became of an execution asked to cancel, retry or compensate. */
// Passed to Response.entity as an Object: no signature registers it (or what it holds) for a native image.
@RegisterForReflection(registerFullHierarchy = true)
public record Status(UUID executionId, String status) {
}
