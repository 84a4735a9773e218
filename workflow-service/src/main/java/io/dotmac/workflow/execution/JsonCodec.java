package io.dotmac.workflow.execution;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for execution state: decimals are read as BigDecimal and written plain, so amounts keep
 * every digit through the context, PostgreSQL and service calls.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final String NUL_ESCAPE = "\\u0000";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private JsonCodec() {
    }

    /**
     * The value as JSON. PostgreSQL's jsonb cannot hold the NUL character, so one that comes from a
     * service's answer is stored as U+FFFD; requests that carry one are refused at the API.
     *
     * @throws IllegalArgumentException if the value cannot be written (a number too large to write exactly)
     */
    public static String write(Object value) {
        String json = writeExact(value);
        // Cheap test first; the text may also be a literal backslash-u-0000, which the walk leaves alone.
        return json.contains(NUL_ESCAPE) ? writeExact(withoutNul(value)) : json;
    }

    /** Whether a string in the value (or a key) holds a NUL character, which jsonb cannot store. */
    public static boolean containsNul(Object value) {
        if (value instanceof String text) {
            return text.indexOf('\0') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> containsNul(e.getKey()) || containsNul(e.getValue()));
        }
        return value instanceof Collection<?> list && list.stream().anyMatch(JsonCodec::containsNul);
    }

    private static Object withoutNul(Object value) {
        if (value instanceof String text) {
            return text.replace('\0', '\uFFFD');
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(withoutNul(k), withoutNul(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(JsonCodec::withoutNul).toList();
        }
        return value;
    }

    private static String writeExact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, Object> readMap(String json) {
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object read(String json) {
        try {
            return json == null ? null : MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON tree as the plain Java values the engine works with (Map, List, BigDecimal, ...). */
    public static Object toPlain(JsonNode node) {
        return node == null ? null : MAPPER.convertValue(node, Object.class);
    }
}
