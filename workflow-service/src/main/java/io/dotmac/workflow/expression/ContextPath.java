package io.dotmac.workflow.expression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A parsed reference into the execution context, such as {@code quote.items[0].code}: a leading
 * name followed by {@code .name} field selections and {@code [n]} list indexes. Parsing happens
 * once, when a definition is loaded, so malformed paths are reported before anything runs;
 * {@link #resolve(Map)} then walks the context's plain map/list tree and, when a step fails,
 * explains which step and why instead of quietly yielding null.
 */
public final class ContextPath {

    /** Key listings in error messages are cut off here so a huge map cannot flood the log. */
    private static final int MAX_KEYS_SHOWN = 20;

    private final String text;
    private final List<Segment> segments;

    private ContextPath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses {@code text} (without the surrounding {@code ${}}).
     *
     * @throws IllegalArgumentException naming the problem and its offset in the text
     */
    public static ContextPath parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        if (text.charAt(0) == '[') {
            throw invalid(text, "must start with a name, not an index");
        }
        List<Segment> segments = new ArrayList<>();
        int pos = readName(text, 0, segments);
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '.') {
                pos = readName(text, pos + 1, segments);
            } else if (c == '[') {
                pos = readIndex(text, pos, segments);
            } else {
                throw invalid(text, "unexpected character '" + c + "' at offset " + pos
                        + " (expected '.', '[' or the end of the path)");
            }
        }
        return new ContextPath(text, Collections.unmodifiableList(segments));
    }

    private static int readName(String text, int start, List<Segment> segments) {
        int pos = start;
        while (pos < text.length() && text.charAt(pos) != '.' && text.charAt(pos) != '[') {
            char c = text.charAt(pos);
            if (!isNameChar(c)) {
                throw invalid(text, "character '" + c + "' at offset " + pos
                        + " is not allowed in a name (allowed: A-Z, a-z, 0-9, '_' and '-')");
            }
            pos++;
        }
        if (pos == start) {
            throw invalid(text, "empty name at offset " + start);
        }
        segments.add(new Key(text.substring(start, pos)));
        return pos;
    }

    private static int readIndex(String text, int open, List<Segment> segments) {
        int close = text.indexOf(']', open + 1);
        if (close < 0) {
            throw invalid(text, "'[' at offset " + open + " is not closed");
        }
        String digits = text.substring(open + 1, close);
        if (digits.isEmpty()) {
            throw invalid(text, "empty index at offset " + open);
        }
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "bad index '" + digits + "' at offset " + open
                    + " (an index is a non-negative whole number)");
        }
        try {
            segments.add(new Index(Integer.parseInt(digits)));
        } catch (NumberFormatException e) {
            throw invalid(text, "bad index '" + digits + "' at offset " + open + " (too large)");
        }
        return close + 1;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-';
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("bad path '" + text + "': " + problem);
    }

    /** The path as written, e.g. {@code quote.items[0].code}. */
    public String text() {
        return text;
    }

    /** The first name of the path: the top-level context key it starts from. */
    public String root() {
        return ((Key) segments.get(0)).name();
    }

    /**
     * Walks {@code context} along this path.
     *
     * @return the value found; null only when the last step names a key that is present with a
     *         null value
     * @throws UnresolvedPathException when a step cannot be taken, naming the path and the step
     */
    public Object resolve(Map<String, Object> context) {
        String root = root();
        if (!context.containsKey(root)) {
            throw unresolved("not in the context (keys: " + describeKeys(context) + ")");
        }
        Object current = context.get(root);
        // Errors talk about the container by the tail a reader recognises ('items', 'b[0]').
        String label = root;
        for (Segment segment : segments.subList(1, segments.size())) {
            if (segment instanceof Key key) {
                current = selectKey(current, label, key.name());
                label = key.name();
            } else {
                int index = ((Index) segment).index();
                current = selectIndex(current, label, index);
                label = label + "[" + index + "]";
            }
        }
        return current;
    }

    private Object selectKey(Object container, String label, String key) {
        if (!(container instanceof Map<?, ?> map)) {
            throw unresolved("'" + label + "' is " + describeShape(container)
                    + ", so it has no key '" + key + "'");
        }
        if (!map.containsKey(key)) {
            throw unresolved("'" + label + "' has no key '" + key + "' (keys: "
                    + describeKeys(map) + ")");
        }
        return map.get(key);
    }

    private Object selectIndex(Object container, String label, int index) {
        if (!(container instanceof List<?> list)) {
            throw unresolved("'" + label + "' is " + describeShape(container)
                    + ", so it has no index " + index);
        }
        if (index >= list.size()) {
            throw unresolved("'" + label + "' has " + list.size()
                    + (list.size() == 1 ? " element" : " elements") + ", no index " + index);
        }
        return list.get(index);
    }

    private UnresolvedPathException unresolved(String problem) {
        return new UnresolvedPathException(text, "${" + text + "}: " + problem);
    }

    /** Describes a value in the JSON vocabulary workflow authors write definitions in. */
    private static String describeShape(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object, not a list";
        }
        if (value instanceof List) {
            return "a list, not an object";
        }
        if (value instanceof CharSequence) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String describeKeys(Map<?, ?> map) {
        if (map.isEmpty()) {
            return "none";
        }
        String shown = map.keySet().stream()
                .limit(MAX_KEYS_SHOWN)
                .map(String::valueOf)
                .collect(Collectors.joining(", "));
        int hidden = map.size() - MAX_KEYS_SHOWN;
        return hidden > 0 ? shown + ", ... " + hidden + " more" : shown;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContextPath path && path.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private sealed interface Segment permits Key, Index {
    }

    private record Key(String name) implements Segment {
    }

    private record Index(int index) implements Segment {
    }
}
