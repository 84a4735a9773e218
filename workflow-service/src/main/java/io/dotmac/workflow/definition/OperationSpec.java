package io.dotmac.workflow.definition;

import java.util.Objects;
import java.util.Set;

/**
 * What the service registry knows about one operation of a service: the parameters it takes and
 * whether it changes state. Mutating operations are sent with an idempotency key and must not be
 * used where the engine re-sends a call freely (a condition's refresh).
 */
public record OperationSpec(String service, String method, Set<String> requiredParams, Set<String> optionalParams,
        boolean mutating) {

    public OperationSpec {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        requiredParams = Set.copyOf(requiredParams);
        optionalParams = Set.copyOf(optionalParams);
    }

    /** Whether {@code param} is one of the operation's parameters, required or optional. */
    public boolean accepts(String param) {
        return requiredParams.contains(param) || optionalParams.contains(param);
    }
}
