package io.dotmac.workflow.execution;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON for execution state: decimals are read as BigDecimal and written plain, so amounts keep
 * every digit through the context, PostgreSQL and service calls.
 */
public final class JsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final String NUL = "\\u0000";
    private static final String REPLACEMENT = "\\ufffd";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private JsonCodec() {
    }

    /**
     * The value as JSON. PostgreSQL's jsonb cannot hold the NUL character, so one that comes from a
     * service's answer is stored as U+FFFD; requests that carry one are refused at the API.
     */
    public static String write(Object value) {
        return writeExact(value).replace(NUL, REPLACEMENT);
    }

    /** Whether the value holds a NUL character anywhere, which jsonb cannot store. */
    public static boolean containsNul(Object value) {
        return writeExact(value).contains(NUL);
    }

    private static String writeExact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
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
