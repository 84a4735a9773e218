package io.dotmac.workflow.expression;

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
 * checked when it is loaded rather than when the step runs. A result is bounded in size (as JSON):
 * text is never built past the limit, and values taken by reference are counted, not copied.
 */
public final class Templates {

    /** The limit of {@link #resolve(Object, Map)}; the engine's steps use workflow.limits.max-template-result. */
    public static final long DEFAULT_MAX_BYTES = 512 * 1024;

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
     * @throws TooLargeException when the result would be larger than {@link #DEFAULT_MAX_BYTES}
     */
    public static Object resolve(Object template, Map<String, Object> context) {
        return resolve(template, context, DEFAULT_MAX_BYTES);
    }

    /** {@link #resolve(Object, Map)} with a result of at most {@code maxBytes} as JSON. */
    public static Object resolve(Object template, Map<String, Object> context, long maxBytes) {
        return resolve(template, context, new TextBudget(maxBytes));
    }

    private static Object resolve(Object template, Map<String, Object> context, TextBudget budget) {
        if (template instanceof String text) {
            return resolveString(text, context, budget);
        }
        if (template instanceof Map<?, ?> map) {
            Map<Object, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                budget.spend(DataSize.upTo(key, budget.left()) + 1);
                resolved.put(key, resolve(value, context, budget));
            });
            return resolved;
        }
        if (template instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            for (Object value : list) {
                resolved.add(resolve(value, context, budget));
            }
            return resolved;
        }
        budget.spend(DataSize.upTo(template, budget.left()));
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

    private static Object resolveString(String template, Map<String, Object> context, TextBudget budget) {
        List<Part> parts = parts(template);
        if (parts.size() == 1 && parts.get(0) instanceof Ref ref) {
            Object value = ref.path().resolve(context);
            budget.spend(DataSize.upTo(value, budget.left()));
            return value;
        }
        BoundedText out = new BoundedText(budget);
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
                out.appendAsText(value);
            }
        }
        String text = out.toString();
        budget.spend(text.length() + 2L);
        return text;
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

    /** A template whose result would be larger than allowed. */
    public static final class TooLargeException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    private sealed interface Part permits Text, Ref {
    }

    private record Text(String text) implements Part {
    }

    private record Ref(ContextPath path) implements Part {
    }
}
