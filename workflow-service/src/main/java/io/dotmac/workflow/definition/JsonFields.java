package io.dotmac.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.execution.JsonCodec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reading the fields of a definition's JSON: each reader reports what is wrong with a field where
 * it is ({@link Place}) and answers null (or the fallback), so that reading goes on and every
 * problem is found in one parse.
 */
public final class JsonFields {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");
    /** What {@link #isIdentifier} requires, as messages say it. */
    public static final String IDENTIFIER_RULE = "lower-case letters, digits and '_', starting with a letter";

    private JsonFields() {
    }

    /** Context keys, step names and inputs are identifiers: they are read by {@code ${...}} paths. */
    public static boolean isIdentifier(String text) {
        return IDENTIFIER.matcher(text).matches();
    }

    public static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    public static String requiredString(Place at, JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (!present(value)) {
            at.error(field, "required");
            return null;
        }
        if (!value.isTextual()) {
            at.error(field, "must be a string (got " + describe(value) + ")");
            return null;
        }
        return value.textValue();
    }

    public static String optionalString(Place at, JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual()) {
            at.error(field, "must be a string (got " + describe(node) + ")");
            return null;
        }
        return node.textValue();
    }

    public static boolean optionalBoolean(Place at, JsonNode parent, String field, boolean fallback) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return fallback;
        }
        if (!node.isBoolean()) {
            at.error(field, "must be true or false (got " + describe(node) + ")");
            return fallback;
        }
        return node.booleanValue();
    }

    /** An optional whole number in [min, max]; null when absent or wrong. */
    public static Long wholeNumber(Place at, JsonNode parent, String field, long min, long max) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            at.error(field, "must be a whole number (got " + describe(node) + ")");
            return null;
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            at.error(field, "must be between " + min + " and " + max + " (got " + node + ")");
            return null;
        }
        return node.longValue();
    }

    /**
     * An optional number in [min, max], rounded to nine decimal places (a nanosecond, for the
     * durations): {@code fallback} when absent, null when wrong.
     */
    public static BigDecimal decimal(Place at, JsonNode parent, String field, BigDecimal min, long max, BigDecimal fallback) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return fallback;
        }
        if (!node.isNumber()) {
            at.error(field, "must be a number (got " + describe(node) + ")");
            return null;
        }
        BigDecimal value = node.decimalValue();
        // Finer than a nanosecond is no duration: such digits go before any arithmetic (rounding
        // 1E-2147483647 would overflow, or take minutes). Its digits are few, so the rounding is cheap.
        if (value.precision() - (long) value.scale() < -9) {
            value = BigDecimal.ZERO;
        } else if (value.scale() > 9) {
            value = value.setScale(9, RoundingMode.HALF_UP);
        }
        if (value.compareTo(min) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            at.error(field, "must be between " + min.toPlainString() + " and " + max + " (got " + node + ")");
            return null;
        }
        return value;
    }

    /** Reports each field of {@code node} not in {@code allowed}. */
    public static void unknownFields(Place at, JsonNode node, List<String> allowed) {
        unknownFields(at, node, allowed, name -> "unknown field");
    }

    /** Reports each field of {@code node} not in {@code allowed}, with {@code what} it is. */
    static void unknownFields(Place at, JsonNode node, List<String> allowed, Function<String, String> what) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!allowed.contains(name)) {
                at.error(name, what.apply(name) + " (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** The plain Java tree the engine works with; decimals stay BigDecimal so amounts keep their digits. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toJavaMap(JsonNode object) {
        return (Map<String, Object>) JsonCodec.toPlain(object);
    }

    public static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "\"" + node.textValue() + "\"";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
        };
    }

    public static String sorted(Collection<String> names) {
        return names.isEmpty() ? "none" : names.stream().sorted().collect(Collectors.joining(", "));
    }
}
