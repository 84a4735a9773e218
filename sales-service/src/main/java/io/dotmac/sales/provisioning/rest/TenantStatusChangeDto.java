package io.dotmac.sales.provisioning.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A quote's customer tenant after a hold was put on or lifted, or its order cancelled: its fields,
 * and {@code changed}, false when there was nothing to do (the hold was on already, or not there to
 * lift; the order was cancelled already), so a caller can tell whether its own hold was placed.
 */
public record TenantStatusChangeDto(@JsonUnwrapped TenantStatusDto tenant, boolean changed) {
}
