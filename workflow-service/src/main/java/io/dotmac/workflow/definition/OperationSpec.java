package io.dotmac.workflow.definition;

import java.util.Objects;
import java.util.Set;

/**
 * What the service registry knows about one operation of a service: the parameters it takes,
 * whether it changes state, and what a step may leave out when calling it ({@link Conventions}).
 * Mutating operations are sent with an idempotency key and must not be used where the engine
 * re-sends a call freely (a condition's refresh).
 */
public record OperationSpec(String service, String method, Set<String> requiredParams, Set<String> optionalParams,
        boolean mutating, Conventions conventions) {

    public OperationSpec {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        requiredParams = Set.copyOf(requiredParams);
        optionalParams = Set.copyOf(optionalParams);
        conventions = conventions == null ? Conventions.NONE : conventions;
    }

    public OperationSpec(String service, String method, Set<String> requiredParams, Set<String> optionalParams,
            boolean mutating) {
        this(service, method, requiredParams, optionalParams, mutating, Conventions.NONE);
    }

    public OperationSpec with(Conventions conventions) {
        return new OperationSpec(service, method, requiredParams, optionalParams, mutating, conventions);
    }

    /** Whether {@code param} is one of the operation's parameters, required or optional. */
    public boolean accepts(String param) {
        return requiredParams.contains(param) || optionalParams.contains(param);
    }
}
