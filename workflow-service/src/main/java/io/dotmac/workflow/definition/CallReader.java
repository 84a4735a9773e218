package io.dotmac.workflow.definition;

import static io.dotmac.workflow.definition.JsonFields.describe;
import static io.dotmac.workflow.definition.JsonFields.present;
import static io.dotmac.workflow.definition.JsonFields.requiredString;
import static io.dotmac.workflow.definition.JsonFields.sorted;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.definition.References.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a call of another service's operation (a service_call step, a condition's refresh, a
 * compensation) against the service catalog: the service and method exist, every parameter is one
 * the operation accepts, the required ones are given (or have the catalog's default).
 */
final class CallReader {

    private CallReader() {
    }

    /** The call in {@code node}, or null if it has problems; its parameters' references join {@code references}. */
    static ServiceCall call(ServiceCatalog catalog, Place at, JsonNode node, String resultKey, boolean readOnly,
            List<Reference> references) {
        int before = at.found();
        String service = requiredString(at, node, "service");
        String method = requiredString(at, node, "method");
        OperationSpec operation = operation(catalog, at, service, method);
        if (readOnly && operation != null && operation.mutating()) {
            at.error("method", service + "." + method + " changes state, but a refresh is re-sent before every "
                    + "re-evaluation; use a read-only method");
        }
        Map<String, Object> params = params(at, node.get("params"), operation, references);
        return at.found() == before && resultKey != null ? new ServiceCall(service, method, params, resultKey) : null;
    }

    private static OperationSpec operation(ServiceCatalog catalog, Place at, String service, String method) {
        if (service == null) {
            return null;
        }
        if (!catalog.services().contains(service)) {
            at.error("service", "unknown service '" + service + "' (known services: " + sorted(catalog.services()) + ")");
            return null;
        }
        if (method == null) {
            return null;
        }
        return catalog.operation(service, method).orElseGet(() -> {
            at.error("method", "unknown method '" + method + "' of service '" + service + "' (known methods: "
                    + sorted(catalog.methods(service)) + ")");
            return null;
        });
    }

    private static Map<String, Object> params(Place at, JsonNode node, OperationSpec operation, List<Reference> references) {
        Map<String, Object> params;
        if (!present(node)) {
            params = new LinkedHashMap<>();
        } else if (node.isObject()) {
            params = JsonFields.toJavaMap(node);
        } else {
            at.error("params", "must be an object of parameter → value (got " + describe(node) + ")");
            return null;
        }
        References.templates(at, "params", params, references);
        if (operation != null) {
            String operationName = operation.service() + "." + operation.method();
            for (String param : params.keySet()) {
                if (!operation.accepts(param)) {
                    Set<String> allowed = new TreeSet<>(operation.requiredParams());
                    allowed.addAll(operation.optionalParams());
                    at.error("params." + param, "unknown parameter of " + operationName + " (allowed: " + sorted(allowed) + ")");
                }
            }
            for (String required : new TreeSet<>(operation.requiredParams())) {
                String fallback = operation.conventions().defaults().get(required);
                if (!params.containsKey(required) && fallback != null) {
                    params.put(required, fallback);
                    References.templates(at, "params." + required, fallback, references);
                } else if (!params.containsKey(required)) {
                    at.error("params." + required, "required by " + operationName + " but missing");
                }
            }
        }
        return params;
    }

    /** The {@code result} key; {@code fallback} when absent, and required when there is none. */
    static String resultKey(Place at, JsonNode node, String fallback) {
        JsonNode result = node.get("result");
        if (!present(result)) {
            if (fallback == null) {
                at.error("result", "required: the context key the refreshed value is stored under");
            }
            return fallback;
        }
        if (!result.isTextual()) {
            at.error("result", "must be a string (got " + describe(result) + ")");
            return fallback;
        }
        String key = result.textValue();
        if (!JsonFields.isIdentifier(key)) {
            at.error("result", "must be an identifier: " + JsonFields.IDENTIFIER_RULE + " (got '" + key + "')");
        }
        return key;
    }
}
