package io.dotmac.workflow.expression;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The size of context data written as JSON, in UTF-8 bytes (near enough: escapes are not counted),
 * counted only until it passes a limit. A context can hold one value under many keys, so its JSON
 * can be exponentially larger than the objects in memory ({@code [${a}, ${a}]} twenty times over):
 * counting stops at the limit rather than walking, or writing, all of it.
 */
public final class DataSize {

    /** Nesting deeper than this is refused like data that is too large: JSON writers and readers refuse it too. */
    public static final int MAX_DEPTH = 500;

    private DataSize() {
    }

    /** The size of {@code value} if it is at most {@code limit}; otherwise some number above the limit. */
    public static long upTo(Object value, long limit) {
        long[] left = {limit};
        count(value, left, 0);
        return limit - left[0];
    }

    private static void count(Object value, long[] left, int depth) {
        if (left[0] < 0) {
            return;
        }
        if (depth > MAX_DEPTH) {
            left[0] = -1;
            return;
        }
        if (value instanceof Map<?, ?> map) {
            left[0] -= 2;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                left[0] -= text(String.valueOf(entry.getKey())) + 2;
                count(entry.getValue(), left, depth + 1);
                if (left[0] < 0) {
                    return;
                }
            }
        } else if (value instanceof List<?> list) {
            left[0] -= 2;
            for (Object element : list) {
                left[0] -= 1;
                count(element, left, depth + 1);
                if (left[0] < 0) {
                    return;
                }
            }
        } else if (value instanceof String string) {
            left[0] -= text(string);
        } else if (value instanceof BigDecimal decimal) {
            // Written plain: as many digits as its precision and scale call for.
            left[0] -= decimal.precision() + Math.abs((long) decimal.scale()) + 2;
        } else {
            left[0] -= String.valueOf(value).length();
        }
    }

    private static long text(String string) {
        long bytes = 2;
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes;
    }
}
