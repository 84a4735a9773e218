package io.dotmac.workflow.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whatever a tenant writes, an expression ends soon, in bounded memory, with a message naming the limit it hit. */
class ExpressionLimitsTest {

    /** Guards against a hang only: a backtracking engine would take hours here. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private final ExpressionEngine engine = new ExpressionEngine();

    private static String failure(ExpressionEngine engine, String source, Map<String, Object> context) {
        return assertThrows(ExpressionException.class, () -> engine.compile(source).evaluate(context)).getMessage();
    }

    @Test
    void aCatastrophicallyBacktrackingPatternIsMatchedInLinearTime() {
        assertTimeoutPreemptively(HANG, () -> {
            assertFalse(engine.compile("s =~ '(.*a){20}'").test(Map.of("s", "a".repeat(40) + "!")));
            assertTrue(engine.compile("s =~ '(.*a){20}'").test(Map.of("s", "a".repeat(40))));
            assertTrue(engine.compile("s !~ '(x+x+)+y'").test(Map.of("s", "x".repeat(5000))));
        });
    }

    @Test
    void matchingKeepsItsMeaningForListsAndWholeStrings() {
        Map<String, Object> context = Map.of("c", "EUR", "codes", List.of("EUR", "USD"));
        assertTrue(engine.compile("c =~ '[A-Z]{3}'").test(context));
        assertFalse(engine.compile("c =~ '[A-Z]{2}'").test(context), "=~ matches the whole string");
        assertTrue(engine.compile("c =~ codes").test(context));
        assertTrue(engine.compile("'GBP' !~ codes").test(context));
    }

    @Test
    void aPatternThatWouldExpandPastTheLimitIsRefusedBeforeItIsCompiled() {
        String message = failure(engine, "s =~ '((a{1000}){1000}){1000}'", Map.of("s", "a"));
        assertTrue(message.contains("workflow.limits.regex-size") && message.contains("((a{1000}){1000}){1000}"), message);
        assertTrue(BoundedRegex.programSize("[a-z]{3}-[0-9]{4}") < 1000);
        assertTrue(BoundedRegex.programSize("(x{10}){10}") > 1000);
    }

    @Test
    void noWayOfWritingAPatternGetsPastItsSizeBound() {
        // A quoted or bracketed ')' must not hide a repetition from the bound.
        for (String pattern : List.of("(x{1000}[[:alpha:])]){1000}", "(x{1000}\\Q)\\E){1000}", "x{1000}|y{1000}z{1000}")) {
            String message = failure(engine, "s =~ p", Map.of("s", "x", "p", pattern));
            assertTrue(message.contains("workflow.limits.regex-size"), message);
        }
    }

    @Test
    void aRegularExpressionLiteralIsMatchedByRe2Too() {
        assertTimeoutPreemptively(HANG, () -> {
            assertFalse(engine.compile("s =~ ~/(a|aa)+$/").test(Map.of("s", "a".repeat(60) + "b")));
            assertTrue(engine.compile("s =~ ~/(a|aa)+/").test(Map.of("s", "a".repeat(60))));
        });
    }

    @Test
    void wholeNumbersCannotGrowWithoutBound() {
        java.math.BigInteger big = java.math.BigInteger.TEN.pow(900);
        String message = failure(engine, "a * a * a * a > 0", Map.of("a", big));
        assertTrue(message.contains("digits"), message);
        String shifted = failure(engine, "(1 << 62) * (1 << 62) << 100000 > 0", Map.of());
        assertTrue(shifted.contains("digits"), shifted);
    }

    @Test
    void whatRe2DoesNotSupportIsAClearError() {
        String message = failure(engine, "s =~ '(a)\\\\1'", Map.of("s", "aa"));
        assertTrue(message.contains("RE2"), message);
    }

    @Test
    void aTextLongerThanTheLimitIsNotMatched() {
        String message = failure(engine, "s =~ '.*b'", Map.of("s", "a".repeat(64 * 1024 + 1)));
        assertTrue(message.contains("workflow.limits.regex-input"), message);
    }

    @Test
    void stringsBuiltWithPlusAreBounded() {
        ExpressionEngine small = new ExpressionEngine(new ExpressionLimits(2_000, Duration.ofSeconds(5), 100, 10_000, 1024));
        assertEquals("ab", small.compile("a + b").evaluate(Map.of("a", "a", "b", "b")));
        String message = failure(small, "((s + s) + (s + s)) + ((s + s) + (s + s))", Map.of("s", "x".repeat(40)));
        assertTrue(message.contains("workflow.limits.expression-string"), message);
    }

    @Test
    void anEvaluationPastItsTimeBudgetFailsInsteadOfHoldingTheThread() {
        ExpressionEngine strict = new ExpressionEngine(new ExpressionLimits(2_000, Duration.ZERO, 1 << 20, 10_000, 65_536));
        List<Object> big = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            big.add(Map.of("n", i));
        }
        ExpressionException e = assertThrows(ExpressionException.class,
                () -> strict.compile("xs == ys && xs == ys").evaluate(Map.of("xs", big, "ys", new ArrayList<>(big))));
        assertTrue(e.getMessage().contains("budget") && e.getMessage().contains("workflow.limits.expression-time"), e.getMessage());
        assertTrue(e.outOfTime(), "a busy machine can run an expression out of time too: the step may be tried again");
    }

    @Test
    void anExpressionLongerThanTheLimitIsRefusedWhenCompiled() {
        String source = "a == 1" + " || a == 1".repeat(300);
        ExpressionException e = assertThrows(ExpressionException.class, () -> engine.compile(source));
        assertTrue(e.getMessage().contains("workflow.limits.expression-length"), e.getMessage());
    }
}
