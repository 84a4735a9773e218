package io.dotmac.sales.provisioning.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A quote's customer tenant after a hold was put on or lifted, or its order cancelled: its fields,
 * and {@code changed}, false when there was nothing to do (the hold was on already, or not there to
 * lift; the order was cancelled already), so a caller can tell whether its own hold was placed.
 */
// Passed to Response.entity as an Object: no signature registers it (or what it holds) for a native image.
@RegisterForReflection(registerFullHierarchy = true)
public record TenantStatusChangeDto(@JsonUnwrapped TenantStatusDto tenant, boolean changed) {
}
