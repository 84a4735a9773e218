package io.dotmac.standin.stripe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's parameters the way Stripe's API takes them: form-encoded, nested objects flattened
 * into bracketed keys ({@code metadata[payment_id]}, {@code line_items[0][price_data][currency]}),
 * as stripe-java sends them.
 */
final class StripeForm {

    private final Map<String, String> params;

    private StripeForm(Map<String, String> params) {
        this.params = params;
    }

    static StripeForm parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body != null && !body.isBlank()) {
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                params.put(key, equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return new StripeForm(params);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The parameter, or null when absent or empty (Stripe's way of unsetting). */
    String get(String key) {
        String value = params.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    Long number(String key) {
        String value = get(key);
        return value == null ? null : Long.valueOf(value);
    }

    /** Whether any parameter's key starts with {@code prefix} ({@code items[0][price_data]}: any part of that hash). */
    boolean hasAny(String prefix) {
        return params.keySet().stream().anyMatch(key -> key.startsWith(prefix));
    }

    /** The hash under {@code prefix} ({@code metadata} → {@code metadata[k]=v}), one level deep. */
    Map<String, String> hash(String prefix) {
        Map<String, String> hash = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            if (key.startsWith(prefix + "[") && key.endsWith("]") && key.indexOf('[', prefix.length() + 1) < 0) {
                hash.put(key.substring(prefix.length() + 1, key.length() - 1), value);
            }
        });
        return hash;
    }
}
