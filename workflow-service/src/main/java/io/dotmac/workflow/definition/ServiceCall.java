package io.dotmac.workflow.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A call to another service's operation: what a service_call step sends, and what a condition's
 * {@code refresh} re-sends before each re-evaluation. {@code params} maps each parameter to a
 * template (plain Java tree with {@code ${path}} strings) resolved against the context at call
 * time; the call's result is stored in the context under {@code resultKey}.
 */
public record ServiceCall(String service, String method, Map<String, Object> params, String resultKey) {

    public ServiceCall {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(resultKey, "resultKey");
        // Not Map.copyOf: a parameter may legitimately be JSON null, and order is kept for readability.
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
