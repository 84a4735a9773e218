package io.dotmac.workflow.expression;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills {@code ${path}} placeholders in step parameters from the execution context. A parameter
 * tree (maps, lists, strings, other scalars, as read from the definition's JSON) is copied with
 * every string template replaced: a string that is exactly one {@code ${path}} becomes the
 * referenced value itself, keeping its type, while placeholders embedded in other text are
 * rendered as text. <code>$${</code> writes a literal <code>${</code>. Map keys are never treated as
 * templates. {@link #references(Object)} lists the paths a tree uses so a definition can be
 * checked when it is loaded rather than when the step runs.
 */
public final class Templates {

    private Templates() {
    }

    /**
     * Returns a copy of {@code template} with every placeholder resolved against
     * {@code context}. The input is not modified; map order is kept. Values taken from the
     * context by a lone {@code ${path}} are the context's own objects, not copies.
     *
     * @throws UnresolvedPathException when a path cannot be resolved, or a null value would
     *         have to be written into text
     * @throws IllegalArgumentException when a string in the tree is not a well-formed template
     */
    public static Object resolve(Object template, Map<String, Object> context) {
        if (template instanceof String text) {
            return resolveString(text, context);
        }
        if (template instanceof Map<?, ?> map) {
            Map<Object, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, value) -> resolved.put(key, resolve(value, context)));
            return resolved;
        }
        if (template instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            for (Object value : list) {
                resolved.add(resolve(value, context));
            }
            return resolved;
        }
        return template;
    }

    /**
     * Every path referenced anywhere in {@code template}, in order of appearance, repeats
     * included.
     *
     * @throws IllegalArgumentException when a string in the tree is not a well-formed template,
     *         quoting that string
     */
    public static List<ContextPath> references(Object template) {
        List<ContextPath> found = new ArrayList<>();
        collectReferences(template, found);
        return List.copyOf(found);
    }

    private static void collectReferences(Object template, List<ContextPath> found) {
        if (template instanceof String text) {
            for (Part part : parts(text)) {
                if (part instanceof Ref ref) {
                    found.add(ref.path());
                }
            }
        } else if (template instanceof Map<?, ?> map) {
            map.values().forEach(value -> collectReferences(value, found));
        } else if (template instanceof List<?> list) {
            list.forEach(value -> collectReferences(value, found));
        }
    }

    private static Object resolveString(String template, Map<String, Object> context) {
        List<Part> parts = parts(template);
        if (parts.size() == 1 && parts.get(0) instanceof Ref ref) {
            return ref.path().resolve(context);
        }
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text text) {
                out.append(text.text());
            } else {
                ContextPath path = ((Ref) part).path();
                Object value = path.resolve(context);
                if (value == null) {
                    // Writing "null" into a message or identifier is almost never what was meant.
                    throw new UnresolvedPathException(path.text(), "${" + path.text()
                            + "} is null and cannot be put into text \"" + template + "\"");
                }
                appendAsText(out, value);
            }
        }
        return out.toString();
    }

    private static List<Part> parts(String template) {
        List<Part> parts = new ArrayList<>();
        if (!template.contains("${")) {
            parts.add(new Text(template));
            return parts;
        }
        StringBuilder text = new StringBuilder();
        int pos = 0;
        while (pos < template.length()) {
            if (template.startsWith("$${", pos)) {
                text.append("${");
                pos += 3;
            } else if (template.startsWith("${", pos)) {
                int close = template.indexOf('}', pos + 2);
                if (close < 0) {
                    throw malformed(template, "'${' at offset " + pos + " has no closing '}'", null);
                }
                String inner = template.substring(pos + 2, close);
                if (inner.isEmpty()) {
                    throw malformed(template, "empty '${}' at offset " + pos, null);
                }
                ContextPath path;
                try {
                    path = ContextPath.parse(inner);
                } catch (IllegalArgumentException e) {
                    throw malformed(template, "in '${' at offset " + pos + ", " + e.getMessage(), e);
                }
                if (text.length() > 0) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Ref(path));
                pos = close + 1;
            } else {
                text.append(template.charAt(pos));
                pos++;
            }
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return parts;
    }

    private static IllegalArgumentException malformed(String template, String problem, Throwable cause) {
        return new IllegalArgumentException("malformed template \"" + template + "\": " + problem, cause);
    }

    private static void appendAsText(StringBuilder out, Object value) {
        if (value instanceof Map || value instanceof List) {
            appendJson(out, value);
        } else if (value instanceof BigDecimal decimal) {
            // toString() would switch to exponent notation (1E+3) for some amounts.
            out.append(decimal.toPlainString());
        } else {
            out.append(value);
        }
    }

    /** Compact JSON for the context's value types; enough for text, not a general serializer. */
    private static void appendJson(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator);
                appendJsonString(out, String.valueOf(entry.getKey()));
                out.append(':');
                appendJson(out, entry.getValue());
                separator = ",";
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            String separator = "";
            for (Object element : list) {
                out.append(separator);
                appendJson(out, element);
                separator = ",";
            }
            out.append(']');
        } else if (value instanceof BigDecimal decimal) {
            out.append(decimal.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            appendJsonString(out, value.toString());
        }
    }

    private static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private sealed interface Part permits Text, Ref {
    }

    private record Text(String text) implements Part {
    }

    private record Ref(ContextPath path) implements Part {
    }
}
