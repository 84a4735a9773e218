package io.dotmac.workflow.expression;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Text written from context values (as text, or as compact JSON for maps and lists) that stops at
 * its {@link TextBudget}, so that text written from a huge value is never built whole.
 */
final class BoundedText {

    private final StringBuilder text = new StringBuilder();
    private final TextBudget budget;

    BoundedText(TextBudget budget) {
        this.budget = budget;
    }

    private BoundedText append(Object value) {
        return append(String.valueOf(value));
    }

    private BoundedText append(char c) {
        fits(1);
        text.append(c);
        return this;
    }

    BoundedText append(String value) {
        fits(value.length());
        text.append(value);
        return this;
    }

    private void fits(long more) {
        if (text.length() + more > budget.left()) {
            budget.spend(text.length() + more);
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }

    void appendAsText(Object value) {
        if (value instanceof Map || value instanceof List) {
            appendJson(value);
        } else if (value instanceof BigDecimal decimal) {
            // toString() would switch to exponent notation (1E+3) for some amounts.
            append(plain(decimal));
        } else {
            append(value);
        }
    }

    /** Compact JSON for the context's value types; enough for text, not a general serializer. */
    private void appendJson(Object value) {
        if (value == null) {
            append("null");
        } else if (value instanceof Map<?, ?> map) {
            append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                append(separator);
                appendJsonString(String.valueOf(entry.getKey()));
                append(':');
                appendJson(entry.getValue());
                separator = ",";
            }
            append('}');
        } else if (value instanceof List<?> list) {
            append('[');
            String separator = "";
            for (Object element : list) {
                append(separator);
                appendJson(element);
                separator = ",";
            }
            append(']');
        } else if (value instanceof BigDecimal decimal) {
            append(plain(decimal));
        } else if (value instanceof Number || value instanceof Boolean) {
            append(value);
        } else {
            appendJsonString(value.toString());
        }
    }

    // Plain, as amounts are written, unless that would take more than ten thousand digits (1E+100000000).
    private static String plain(BigDecimal decimal) {
        return Math.abs((long) decimal.scale()) > 9_999 ? decimal.toString() : decimal.toPlainString();
    }

    private void appendJsonString(String value) {
        append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> append("\\\"");
                case '\\' -> append("\\\\");
                case '\n' -> append("\\n");
                case '\r' -> append("\\r");
                case '\t' -> append("\\t");
                case '\b' -> append("\\b");
                case '\f' -> append("\\f");
                default -> {
                    if (c < 0x20) {
                        append(String.format("\\u%04x", (int) c));
                    } else {
                        append(c);
                    }
                }
            }
        }
        append('"');
    }
}
