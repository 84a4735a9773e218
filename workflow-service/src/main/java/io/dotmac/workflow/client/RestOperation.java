package io.dotmac.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Conventions;
import io.dotmac.workflow.definition.OperationSpec;
import io.smallrye.mutiny.Uni;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ServiceOperation} backed by a REST client method: checks the parameters and the
 * idempotency key against the spec, then makes the call. Also holds the two conversions every
 * call needs, a parameter into URL text and the remaining parameters into the body.
 */
record RestOperation(OperationSpec spec, Call call) implements ServiceOperation {

    /** Sends the request, given parameters already checked against the spec. */
    @FunctionalInterface
    interface Call {
        Uni<JsonNode> send(Map<String, Object> params, String idempotencyKey, String authorization);
    }

    /** The same operation with what a step may leave out when calling it. */
    RestOperation with(Conventions conventions) {
        return new RestOperation(spec.with(conventions), call);
    }

    @Override
    public Uni<JsonNode> invoke(Map<String, Object> params, String idempotencyKey, String authorization) {
        // Deferred, so that a parameter error fails the Uni like any other failure instead of being
        // thrown at the caller, and so that each subscription sends a fresh request.
        return Uni.createFrom().deferred(() -> call.send(checked(params), checkedKey(idempotencyKey), authorization));
    }

    /** The value of a parameter that goes into the URL, as text; BigDecimal in plain notation. */
    static String urlValue(OperationSpec spec, Map<String, Object> params, String name) {
        Object value = params.get(name);
        String text;
        if (value instanceof String string) {
            text = string;
        } else if (value instanceof BigDecimal decimal) {
            text = decimal.toPlainString();
        } else if (value instanceof Number || value instanceof Boolean) {
            text = value.toString();
        } else if (value == null) {
            throw new IllegalArgumentException(name(spec) + ": missing required parameter(s) [" + name + "]");
        } else {
            throw new IllegalArgumentException(name(spec) + ": parameter '" + name
                    + "' goes into the URL and must be a string, number or boolean, not " + kind(value));
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(
                    name(spec) + ": parameter '" + name + "' goes into the URL and must not be blank");
        }
        return text;
    }

    /** The JSON body: every parameter but the one already in the URL. */
    static Map<String, Object> bodyWithout(Map<String, Object> params, String inUrl) {
        Map<String, Object> body = new LinkedHashMap<>(params);
        body.remove(inUrl);
        return body;
    }

    // Null counts as absent: an optional parameter set to null is not sent, a required one is missing.
    private Map<String, Object> checked(Map<String, Object> params) {
        Map<String, Object> present = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((name, value) -> {
                if (value != null) {
                    present.put(name, value);
                }
            });
        }
        List<String> problems = new ArrayList<>();
        List<String> missing = spec.requiredParams().stream()
                .filter(name -> !present.containsKey(name))
                .sorted().toList();
        if (!missing.isEmpty()) {
            problems.add("missing required parameter(s) " + missing);
        }
        List<String> unknown = present.keySet().stream()
                .filter(name -> !spec.requiredParams().contains(name) && !spec.optionalParams().contains(name))
                .sorted().toList();
        if (!unknown.isEmpty()) {
            problems.add("unknown parameter(s) " + unknown);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name(spec) + ": " + String.join("; ", problems));
        }
        return Collections.unmodifiableMap(present);
    }

    private String checkedKey(String idempotencyKey) {
        if (!spec.mutating()) {
            return null;
        }
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException(name(spec) + " changes state and needs an idempotency key");
        }
        return idempotencyKey;
    }

    private static String name(OperationSpec spec) {
        return spec.service() + "." + spec.method();
    }

    private static String kind(Object value) {
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "RestOperation[" + name(spec) + "]";
    }
}
