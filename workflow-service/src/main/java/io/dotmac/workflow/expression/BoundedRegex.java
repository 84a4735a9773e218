package io.dotmac.workflow.expression;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code =~} against a regular expression, in time linear in the text: RE2/J, never a backtracking
 * engine. RE2/J expands counted repetitions when it compiles, so {@code ((a{1000}){1000}){1000}}
 * would fill the heap: an upper bound of the program a pattern expands to is taken first and the
 * pattern refused above the limit. The text is bounded too, and read through a view that checks the evaluation's
 * time budget, so a large program over a long text stops at the budget. Compiled patterns are
 * shared, in a small cache.
 */
final class BoundedRegex {

    private static final int CACHE_SIZE = 256;
    /** How many characters are read between two looks at the clock. */
    private static final int CHECK_EVERY = 4096;

    private final ExpressionLimits limits;
    private final Map<String, Pattern> cache = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    BoundedRegex(ExpressionLimits limits) {
        this.limits = limits;
    }

    boolean matches(String regex, String text) {
        if (text.length() > limits.maxRegexInput()) {
            throw new EvaluationBudget.OverBudgetException("matches a text of " + text.length() + " characters against a"
                    + " regular expression; at most " + limits.maxRegexInput() + " are allowed (workflow.limits.regex-input)");
        }
        return compiled(regex).matcher(new Budgeted(text)).matches();
    }

    private Pattern compiled(String regex) {
        synchronized (cache) {
            Pattern cached = cache.get(regex);
            if (cached != null) {
                return cached;
            }
        }
        long size = programSize(regex);
        if (size > limits.maxRegexSize()) {
            throw new EvaluationBudget.OverBudgetException("regular expression '" + abbreviated(regex) + "' may expand to "
                    + size + " instructions (its length times its counted repetitions); at most " + limits.maxRegexSize()
                    + " are allowed (workflow.limits.regex-size)");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + abbreviated(regex) + "' is not a regular expression RE2 accepts: "
                    + e.getDescription(), e);
        }
        synchronized (cache) {
            cache.put(regex, pattern);
        }
        return pattern;
    }

    /**
     * An upper bound of the instructions RE2/J compiles {@code regex} into: its length times every
     * counted repetition ({@code {n}}, {@code {n,}}, {@code {n,m}}) found anywhere in it, each
     * counted at its larger bound. Nested or not, inside a class or quoted, no repetition expands an
     * atom by more than all of them together, so no way of writing a pattern gets past it.
     */
    static long programSize(String regex) {
        long size = Math.max(1, regex.length());
        for (int i = regex.indexOf('{'); i >= 0 && size <= Integer.MAX_VALUE; i = regex.indexOf('{', i + 1)) {
            int close = regex.indexOf('}', i);
            if (close < 0) {
                break;
            }
            size = saturated(size * Math.max(1, repeatCount(regex.substring(i + 1, close))));
        }
        return size;
    }

    // The larger count of {n}, {n,} or {n,m}; 1 when the braces are not a repetition (RE2 takes them literally).
    private static long repeatCount(String inner) {
        String[] bounds = inner.split(",", -1);
        if (bounds.length > 2 || bounds[0].isEmpty() || !digits(bounds[0]) || (bounds.length == 2 && !bounds[1].isEmpty() && !digits(bounds[1]))) {
            return 1;
        }
        String larger = bounds.length == 2 && !bounds[1].isEmpty() ? bounds[1] : bounds[0];
        // RE2 refuses counts above 1000; the compiler says so.
        return larger.length() > 5 ? 100_000 : Long.parseLong(larger) + (bounds.length == 2 && bounds[1].isEmpty() ? 1 : 0);
    }

    private static boolean digits(String text) {
        return text.chars().allMatch(Character::isDigit);
    }

    private static long saturated(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? Integer.MAX_VALUE : value;
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    /** The text, looking at the evaluation's clock every few thousand characters RE2/J reads. */
    private static final class Budgeted implements CharSequence {

        private final String text;
        private int reads;

        Budgeted(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads % CHECK_EVERY == 0) {
                EvaluationBudget.check();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
