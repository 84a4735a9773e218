package io.dotmac.workflow;

import io.dotmac.workflow.definition.OperationSpec;
import io.dotmac.workflow.definition.ServiceCatalog;
import io.dotmac.workflow.definition.Trigger;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Generators of hostile input for the engine's property tests (issue 16): expression sources,
 * {@code ${...}} templates, execution contexts, cron strings and whole definitions, mostly close to
 * valid (so that they reach deep into the parser and the engine) and partly junk. Each generator is a
 * function of a {@link Draw}: under QuickTheories ({@link #gen}) the draws shrink to a small failing
 * case; the API test draws from a seeded {@link SplittableRandom} instead.
 *
 * <p>Choices are listed simplest first: a shrunk case tends towards the first element of each list.
 */
public final class HostileInputs {

    /** Top-level context names that expressions and templates read. */
    public static final List<String> ROOTS = List.of("a", "b", "s", "n", "x", "p", "items", "quote", "lead", "data");
    /** Keys of the maps inside a context, with some that look like Java members or are not names. */
    static final List<String> KEYS = List.of("a", "b", "id", "status", "total_amount", "items", "customer-ref", "x y",
            "", "0", "class", "size", "empty", "length", "getClass", "__proto__", "${a}", "ü");

    /** The issue's catastrophic-backtracking case: 40 'a' and a '!' against {@code (.*a){20}}. */
    public static final String FORTY_A_BANG = "a".repeat(40) + "!";
    public static final String BACKTRACKING = "(.*a){20}";
    /** 4,000 nested groups: a pattern from the context, for {@code s =~ p}. */
    public static final String NESTED_GROUPS = "(".repeat(4_000) + "a" + ")".repeat(4_000);

    /** Patterns that are slow, huge, refused by RE2 or not patterns at all. */
    static final List<String> PATTERNS = List.of("a", ".*", BACKTRACKING, "(x+x+)+y", "(a{1000}){1000}",
            "((a{100}){100}){100}", "a{1001}", "(a|aa)+$", "[", "(", ")", "\\", "a{,5}", "x{99999999999}", "(?<!a)b",
            "(?i)ACC", "\\p{Greek}+", "\\pL", "\\Q(\\E", "[[:alpha:]]", "(?P<n>a)\\1", "^$", "\\b\\B", "(((((a)))))*",
            "(" + "(".repeat(900) + "a" + ")".repeat(900) + ")");

    /** Strings a context may hold; the long ones are built once. */
    static final List<String> STRINGS = List.of("", "a", "accepted", " ", "x", "FIBER_100", FORTY_A_BANG, "'", "\"",
            "\\", "\n\t", "${a}", "$${a}", "${", "}", "é", "日本", "\u0000", "\uD800", "\uDBFF\uDC00", "1E+1000000",
            "NaN", "-0", "0x10", "true", "null", BACKTRACKING, "(x+x+)+y", "a{1001}", "[", "x".repeat(70_000),
            NESTED_GROUPS, "ab".repeat(300_000));

    static final List<Object> NUMBERS = List.of(0, 1, -1, 7, Integer.MAX_VALUE, Integer.MIN_VALUE, 0L, Long.MAX_VALUE,
            Long.MIN_VALUE, 1L << 53, BigInteger.TWO.pow(64), BigInteger.TEN.pow(100).negate(), new BigDecimal("0.00"),
            new BigDecimal("1200.00"), new BigDecimal("0.1"), new BigDecimal("-0.0"),
            new BigDecimal("123456789012345678901234567890.123456789012345678901234567890"), new BigDecimal("1E+1000000"),
            new BigDecimal("1E-1000000"), new BigDecimal("1E+2147483647"), new BigDecimal("1E-2147483647"), 0.5, -0.0,
            1e308, 4.9e-324);

    /** Number literals as an expression may write them, most of them odd. */
    static final List<String> NUMBER_LITERALS = List.of("0", "1", "-1", "7", "2147483647", "2147483648",
            "9223372036854775807", "9223372036854775808", "99999999999999999999999999999999999", "1.5", "0.1", "1e308",
            "1e309", "1E+1000000", "1.5e-400", "0x7fffffff", "0xffffffffffffffffff", "0777", "09", "1L", "10H", "1.0B",
            "1E+999999999B", "1E-999999999B", "1.5f", "1.5d", ".5", "5.", "1__0", "NaN", "Infinity").stream()
            .toList();

    static final List<String> BINARY_OPERATORS = List.of("==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*",
            "/", "%", "=~", "!~", "=^", "=$", "!^", "!$", "===", "!==", "eq", "ne", "lt", "le", "gt", "ge", "and", "or",
            "&", "|", "^", "<<", ">>", ">>>", "..", "?:", "??", "=", "+=", "instanceof", "=>", "->", ";", "<>", "**");

    /** Pieces of the language and of its neighbours, for sources that are token soup. */
    static final List<String> TOKENS = List.of("a", "s", "1", "'x'", "(", ")", "[", "]", "{", "}", ".", ",", "?", ":",
            "!", "-", "+", "==", "=~", "..", "size", "empty", "true", "null", " ", "`", "#", "#pragma", "@", "${", "$",
            "\\", "\u0000", "\n", ";", "var x = 1", "function(x){x}", "x -> x", "(x) => x", "new('java.io.File', '/')",
            "''.class", "a.getClass()", "a.class.forName('java.lang.Runtime')", "__proto__", "math:abs(1)",
            "import java.io", "while(true){}", "for(x : a){}", "return 1", "if (a) 1 else 2", "x = 1", "x++", "--x",
            "a?.b", "a?[0]", "{'k': 1}", "{1, 2}", "[...]", "'\\u0000'", "\"\\\"", "'''", "1..2147483647");

    /** Pieces of cron fields, Quartz syntax and not. */
    static final List<String> CRON_TOKENS = List.of("0", "*", "?", "59", "1-5", "*/15", "L", "W", "LW", "15W", "6#3",
            "MON-FRI", "JAN", "1,2,3", "60", "-1", "0/0", "*/0", "5-1", "L-3", "L-99999999999", "6#9", "#", "/", "-", ",",
            "99999999999", "2147483648", "FOO", "SUN-SAT", "?/2", "1-", "-5", "L-", "W5", "0W", "32W", "8#1", "1#0", "");

    static final List<String> INPUTS = List.of("s", "n", "x", "a", "quote_id", "lead_id", "p", "items");

    private static final ExecutorService GUARD = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hostile-input-guard");
        thread.setDaemon(true);
        return thread;
    });

    private HostileInputs() {
    }

    // ---- drawing

    /** A source of choices: QuickTheories' (which shrinks) or a seeded random one. */
    public abstract static class Draw {

        /** A whole number in [min, max]; shrinking tends towards min. */
        public abstract int between(int min, int max);

        public static Draw of(org.quicktheories.core.RandomnessSource in) {
            return new Draw() {
                @Override
                public int between(int min, int max) {
                    return (int) in.next(Constraint.between(min, max));
                }
            };
        }

        public static Draw of(SplittableRandom random) {
            return new Draw() {
                @Override
                public int between(int min, int max) {
                    return min == max ? min : random.nextInt(min, max + 1);
                }
            };
        }

        /** True in about {@code percent} of the draws; shrinks to false. */
        public boolean chance(int percent) {
            return between(0, 99) >= 100 - percent;
        }

        public <T> T pick(List<T> values) {
            return values.get(between(0, values.size() - 1));
        }

        /** An index into weights, drawn in proportion to them; shrinks towards index 0. */
        public int weighted(int... weights) {
            int total = 0;
            for (int weight : weights) {
                total += weight;
            }
            int drawn = between(0, total - 1);
            for (int i = 0; i < weights.length; i++) {
                drawn -= weights[i];
                if (drawn < 0) {
                    return i;
                }
            }
            return weights.length - 1;
        }
    }

    /**
     * QuickTheories with {@code examples} cases and a bounded shrinking (a case that runs into the
     * liveness guard costs seconds per shrink step). The seed is new on every run and printed with a
     * falsified case: rerun it with {@code -DQT_SEED=<seed>}.
     */
    public static org.quicktheories.QuickTheory cases(int examples) {
        return org.quicktheories.QuickTheory.qt().withExamples(examples).withShrinkCycles(200);
    }

    /** A QuickTheories generator of what {@code build} makes from its draws, described briefly. */
    public static <T> Gen<T> gen(Function<Draw, T> build) {
        Gen<T> gen = in -> build.apply(Draw.of(in));
        return gen.describedAs(HostileInputs::describe);
    }

    // ---- context data

    /** A context: some of the {@link #ROOTS}, each any value a JSON context can hold, and a few that no JSON can. */
    public static Map<String, Object> context(Draw d) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (String root : ROOTS) {
            if (d.chance(60)) {
                context.put(root, value(d, 3));
            }
        }
        if (d.chance(10)) {
            context.put("s", FORTY_A_BANG);
            context.put("p", d.pick(List.of(BACKTRACKING, NESTED_GROUPS, "(x+x+)+y", "(a{1000}){1000}")));
        }
        return context;
    }

    /** A value of a context: scalars, and maps and lists nested up to {@code depth}. */
    public static Object value(Draw d, int depth) {
        return switch (d.weighted(3, 4, 4, 1, 3, 3, depth > 0 ? 3 : 0, depth > 0 ? 3 : 0, 1)) {
            case 0 -> null;
            case 1 -> d.pick(STRINGS.subList(0, 20));
            case 2 -> d.pick(NUMBERS);
            case 3 -> d.pick(STRINGS);
            case 4 -> d.chance(50);
            case 5 -> randomText(d, 12);
            case 6 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = d.between(0, 4);
                for (int i = 0; i < size; i++) {
                    map.put(d.pick(KEYS), value(d, depth - 1));
                }
                yield map;
            }
            case 7 -> {
                int size = d.between(0, 4);
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(value(d, depth - 1));
                }
                yield list;
            }
            default -> new BigDecimal(BigInteger.valueOf(d.between(-1_000_000, 1_000_000)), d.between(-60, 60));
        };
    }

    /** Letters, digits, metacharacters of regular expressions and of the template syntax. */
    public static String randomText(Draw d, int maxLength) {
        String alphabet = "ab xyzAB09_-.'\"\\$${}()[]*+?|^&!=<>~:;,#@`/%\u00e9\u65e5\n\t";
        int length = d.between(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(d.between(0, alphabet.length() - 1)));
        }
        return text.toString();
    }

    // ---- expressions

    /** An expression source: mostly a random tree of the language, else token soup, raw text or a deep nesting. */
    public static String expression(Draw d, List<String> roots) {
        String source = switch (d.weighted(14, 3, 2, 2)) {
            case 0 -> expression(d, roots, 4);
            case 1 -> tokenSoup(d);
            case 2 -> randomText(d, 40);
            default -> deepNesting(d);
        };
        return source;
    }

    /** A random expression tree over {@code roots}, {@code depth} operators deep at most. */
    public static String expression(Draw d, List<String> roots, int depth) {
        if (depth <= 0 || d.chance(30)) {
            return atom(d, roots, depth);
        }
        String left = expression(d, roots, depth - 1);
        return switch (d.weighted(10, 2, 2, 1, 1, 1, 2, 1, 1)) {
            case 0 -> left + " " + d.pick(BINARY_OPERATORS) + " " + expression(d, roots, depth - 1);
            case 1 -> "(" + left + ")";
            case 2 -> d.pick(List.of("!", "-", "not ", "~", "!!", "- -", "+")) + left;
            case 3 -> left + " ? " + expression(d, roots, depth - 1) + " : " + expression(d, roots, depth - 1);
            case 4 -> left + " ?: " + expression(d, roots, depth - 1);
            case 5 -> left + " ?? " + expression(d, roots, depth - 1);
            case 6 -> left + " " + d.pick(List.of("=~", "!~")) + " " + regexOperand(d, roots);
            case 7 -> d.pick(List.of("size(", "empty(")) + left + ")";
            default -> left + d.pick(List.of(".size()", ".class", "['class']", ".getClass()", " = 1", "[0]", ".a"));
        };
    }

    private static String atom(Draw d, List<String> roots, int depth) {
        return switch (d.weighted(6, 5, 3, 4, 1, 1, 1, 1, 1, 1)) {
            case 0 -> d.pick(roots);
            case 1 -> path(d, roots);
            case 2 -> d.pick(NUMBER_LITERALS);
            case 3 -> stringLiteral(d);
            case 4 -> {
                int size = d.between(0, 3);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    items.add(depth > 0 ? expression(d, roots, depth - 1) : d.pick(NUMBER_LITERALS));
                }
                yield "[" + String.join(", ", items) + "]";
            }
            case 5 -> "(" + d.pick(NUMBER_LITERALS) + " .. " + d.pick(NUMBER_LITERALS) + ")";
            case 6 -> d.pick(List.of("size(", "empty(")) + d.pick(roots) + ")";
            case 7 -> d.pick(List.of("true", "false", "null", "size()", "empty()", "math:abs(-1)", "new", "var",
                    "function", "return", "if", "this", "__proto__"));
            case 8 -> d.pick(List.of("(0 .. 2147483647)", "(-9223372036854775808 .. 9223372036854775807)",
                    "size(0 .. 2147483647)", "(0 .. 1000) =~ (0 .. 1000)", "'a' + (0 .. 1000)",
                    "[0 .. 100000000]", "size([0 .. 100000000])", "empty(1 .. 0)", "(1 .. 3) == (1 .. 3)"));
            default -> "'" + d.pick(PATTERNS).replace("\\", "\\\\").replace("'", "\\'") + "'";
        };
    }

    private static String regexOperand(Draw d, List<String> roots) {
        return switch (d.weighted(4, 2, 1)) {
            case 0 -> "'" + d.pick(PATTERNS).replace("\\", "\\\\").replace("'", "\\'") + "'";
            case 1 -> d.pick(roots);
            default -> "[" + stringLiteral(d) + ", " + d.pick(NUMBER_LITERALS) + "]";
        };
    }

    private static String path(Draw d, List<String> roots) {
        StringBuilder path = new StringBuilder(d.pick(roots));
        int segments = d.between(1, 3);
        for (int i = 0; i < segments; i++) {
            switch (d.weighted(4, 2, 2)) {
                case 0 -> path.append('.').append(d.pick(List.of("a", "b", "id", "status", "items", "class", "size",
                        "length", "empty", "0")));
                case 1 -> path.append('[').append(d.pick(List.of("0", "1", "2", "-1", "2147483648", "99999999999",
                        "'a'", "'customer-ref'", "'class'", "null"))).append(']');
                default -> path.append("['").append(d.pick(KEYS).replace("'", "\\'")).append("']");
            }
        }
        return path.toString();
    }

    private static String stringLiteral(Draw d) {
        String text = d.chance(50) ? d.pick(STRINGS.subList(0, 30)) : randomText(d, 10);
        if (d.chance(10)) {
            // Not escaped: often a broken literal, sometimes two.
            return "'" + text + "'";
        }
        char quote = d.chance(50) ? '"' : '\'';
        return quote + text.replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote) + quote;
    }

    public static String tokenSoup(Draw d) {
        int count = d.between(1, 16);
        StringBuilder soup = new StringBuilder();
        for (int i = 0; i < count; i++) {
            soup.append(d.pick(TOKENS));
            if (d.chance(60)) {
                soup.append(' ');
            }
        }
        return soup.toString();
    }

    /** Nestings close to the expression length limit (2,000): deep parse trees and regular expressions. */
    private static String deepNesting(Draw d) {
        // Past about 200 levels the JEXL parser would overflow a 1 MB stack (issue 16).
        int n = d.pick(List.of(10, 100, 300, 600, 999));
        return switch (d.between(0, 8)) {
            case 0 -> "(".repeat(n) + "1" + ")".repeat(n);
            case 1 -> "!".repeat(Math.min(n * 2, 1999)) + "true";
            case 2 -> "[".repeat(n) + "]".repeat(n);
            case 3 -> "1" + "+1".repeat(n - 1);
            case 4 -> "a" + ".b".repeat(n - 1);
            case 5 -> "- ".repeat(n - 1) + "1";
            case 6 -> "size(".repeat(Math.min(n, 300)) + "s" + ")".repeat(Math.min(n, 300));
            case 7 -> "s =~ '" + "(".repeat(n - 4) + "a" + ")".repeat(n - 4) + "'";
            default -> "1 ?: ".repeat(Math.min(n, 390)) + "1";
        };
    }

    // ---- templates

    /** A template tree: maps, lists and strings with {@code ${...}} placeholders, well-formed or not. */
    public static Object template(Draw d, List<String> roots, int depth) {
        return switch (d.weighted(8, depth > 0 ? 2 : 0, depth > 0 ? 2 : 0, 2)) {
            case 0 -> templateString(d, roots);
            case 1 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = d.between(0, 3);
                for (int i = 0; i < size; i++) {
                    map.put(d.pick(KEYS), template(d, roots, depth - 1));
                }
                yield map;
            }
            case 2 -> {
                int size = d.between(0, 3);
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    list.add(template(d, roots, depth - 1));
                }
                yield list;
            }
            default -> value(d, 0);
        };
    }

    /** A string of text and placeholders; a lone placeholder keeps the type of what it names. */
    public static String templateString(Draw d, List<String> roots) {
        if (d.chance(40)) {
            return "${" + templatePath(d, roots) + "}";
        }
        int parts = d.between(0, 5);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            text.append(switch (d.weighted(6, 3, 1, 1, 1, 1, 1)) {
                case 0 -> "${" + templatePath(d, roots) + "}";
                case 1 -> d.pick(List.of("", "x", " ", "$", "}", "{", "$$", "€", "\\", "Quote ", ": "));
                case 2 -> "$${";
                case 3 -> "${";
                case 4 -> "${}";
                case 5 -> "${" + randomText(d, 6) + "}";
                default -> randomText(d, 8);
            });
        }
        return text.toString();
    }

    private static String templatePath(Draw d, List<String> roots) {
        if (d.chance(10)) {
            return d.pick(List.of("a..b", "a[", "a[x]", "[0]", "a.", " a", "a ", "a[-1]", "a[99999999999]",
                    "a[2147483647]", "a.b-c", "ü", "a.[0]", "a]", "a[0", "a[]", "a.b.c.d.e.f.g.h"));
        }
        StringBuilder path = new StringBuilder(d.pick(roots));
        int segments = d.between(0, 3);
        for (int i = 0; i < segments; i++) {
            if (d.chance(70)) {
                path.append('.').append(d.pick(List.of("a", "b", "id", "status", "items", "customer-ref", "0", "_")));
            } else {
                path.append('[').append(d.pick(List.of("0", "1", "2", "10", "2147483647"))).append(']');
            }
        }
        return path.toString();
    }

    // ---- cron

    /** A cron string: six or seven fields of Quartz pieces, or another count, or a nickname. */
    public static String cron(Draw d) {
        String cron = anyCron(d);

        return cron;
    }

    private static String anyCron(Draw d) {
        if (d.chance(5)) {
            return d.pick(List.of("", "   ", "@daily", "0 0 6 * * *", "0 0 6 * * ?", "* * * * * * * *",
                    "0 0 0 1 1 ? 2099", "0 0 0 ? * 6#9", "0 0 0 L-99 * ?", "0 0 0 ? * MON#5 1970-2099/0"));
        }
        int fields = d.pick(List.of(6, 7, 5, 8, 1));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            StringBuilder field = new StringBuilder(d.pick(CRON_TOKENS));
            if (d.chance(20)) {
                field.append(d.pick(List.of(",", "-", "/", "#"))).append(d.pick(CRON_TOKENS));
            }
            parts.add(field.toString());
        }
        return String.join(" ", parts);
    }

    // ---- definitions

    /**
     * How a definition is drawn: {@code careful} ones make no mistake on purpose (they are mostly
     * valid, so that they reach the end of the parser and, over the API, the engine), the others get a
     * field wrong, an unknown field or a piece of junk now and then. {@code forExecution} keeps what an
     * execution would wait for short (timeouts, retries) and its schedule from firing.
     */
    private record Mode(boolean careful, boolean forExecution) {

        /** A deliberate mistake, {@code percent} of the time, and never in a careful definition. */
        boolean mistake(Draw d, int percent) {
            return !careful && d.chance(percent);
        }
    }

    /**
     * A definition as a JSON tree of maps and lists, close to valid: its steps read what its inputs and
     * earlier steps provide and name real services and methods of {@code catalog}. About half are
     * careful (see {@link Mode}); the others make mistakes on purpose.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> definition(Draw d, ServiceCatalog catalog, boolean forExecution) {
        Mode mode = new Mode(d.chance(50), forExecution);
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", mode.mistake(d, 8) ? d.pick(List.<Object>of("Bad_Name", "", "x".repeat(101), "1abc", 42,
                "fz name")) : "fz_" + word(d));
        definition.put("version", mode.mistake(d, 10) ? d.pick(List.<Object>of("1.0", 1.0, "v1", "", "1.0.0.0",
                "1234567890.0.0", "999999999.999999999.999999999", List.of("1.0.0")))
                : d.between(0, 20) + "." + d.between(0, 20) + "." + d.between(0, 20));
        List<String> inputs = new ArrayList<>();
        int inputCount = d.between(mode.careful() ? 1 : 0, 3);
        for (int i = 0; i < inputCount; i++) {
            String input = d.pick(INPUTS);
            if (!inputs.contains(input)) {
                inputs.add(input);
            }
        }
        List<Object> inputsJson = new ArrayList<>(inputs);
        if (mode.mistake(d, 5)) {
            inputsJson.add(d.pick(List.<Object>of("Bad", 1, "", "s", "a-b")));
        }
        definition.put("inputs", inputsJson);
        if (d.chance(30)) {
            definition.put("description", d.chance(90) ? randomText(d, 30) : "d".repeat(20_000));
        }
        if (d.chance(20)) {
            definition.put("tags", mode.mistake(d, 10) ? List.of(1, List.of()) : List.of("fuzz", randomText(d, 8)));
        }
        if (d.chance(15)) {
            definition.put("triggers", List.of(trigger(d, mode, inputs)));
        }
        // An execution test stores no schedule: one would start executions, and every instance that
        // shares the test database would check it on every tick. Its schedules are all refused.
        if (d.chance(15) && !(forExecution && mode.careful())) {
            Map<String, Object> context = new LinkedHashMap<>();
            for (String input : inputs) {
                context.put(input, mode.mistake(d, 20) ? templateString(d, List.of("schedule", "data")) : "${schedule.due_at}");
            }
            Map<String, Object> schedule = new LinkedHashMap<>();
            schedule.put("cron", forExecution ? d.pick(List.of("@daily", "0 0 6 * * *", "", "60 * * * * ?", "0 0 25 * * ?",
                    "0 0 0 L-99 * ?", "0 0 0 ? * 6#9"))
                    : mode.careful() ? d.pick(List.of("0 0 6 * * ?", "0 */15 * * * ?", "0 0 6 ? * MON-FRI", "0 0 0 L * ?"))
                    : cron(d));
            schedule.put("context", context);
            definition.put("schedule", schedule);
        }
        List<OperationSpec> operations = operations(catalog);
        List<String> available = new ArrayList<>(inputs);
        List<Object> steps = new ArrayList<>();
        int stepCount = mode.mistake(d, 3) ? d.pick(List.of(0, 201)) : d.between(1, 6);
        for (int i = 0; i < stepCount; i++) {
            steps.add(stepCount > 200
                    ? Map.of("name", "t" + i, "type", "transform", "set", Map.of("k" + i, i))
                    : step(d, mode, i, available, operations));
        }
        definition.put("steps", steps);
        if (mode.mistake(d, 10)) {
            definition.put(d.pick(List.of("unknown", "step", "Steps", "input")), value(d, 1));
        }
        return mode.mistake(d, 8) ? (Map<String, Object>) mutate(d, definition, 0) : definition;
    }

    private static Map<String, Object> trigger(Draw d, Mode mode, List<String> inputs) {
        Map<String, Object> trigger = new LinkedHashMap<>();
        List<String> events = new ArrayList<>(new java.util.TreeSet<>(Trigger.EVENTS));
        trigger.put("event", mode.mistake(d, 20) ? "crm.quote.sent" : d.pick(events));
        Map<String, Object> context = new LinkedHashMap<>();
        for (String input : inputs) {
            if (!mode.mistake(d, 10)) {
                context.put(input, mode.careful() ? "${data." + d.pick(List.of("quote_id", "lead_id", "amount")) + "}"
                        : templateString(d, List.of("data", "event", "quote")));
            }
        }
        trigger.put("context", context);
        if (d.chance(20)) {
            trigger.put("unless_running", Map.of("workflow", "fz_" + word(d),
                    "key", mode.careful() ? "${data.quote_id}" : templateString(d, List.of("data", "event"))));
        }
        return trigger;
    }

    private static Map<String, Object> step(Draw d, Mode mode, int index, List<String> available,
            List<OperationSpec> operations) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", mode.mistake(d, 5) ? d.pick(List.<Object>of("st0", "Bad", "undo:st", "x".repeat(101), "", 7))
                : "st" + index);
        String type = mode.mistake(d, 5) ? d.pick(List.of("delay", "", "TRANSFORM", "parallel"))
                : d.pick(List.of("transform", "condition", "service_call"));
        step.put("type", type);
        List<String> roots = readable(d, mode, available);
        if (d.chance(15)) {
            step.put("critical", mode.mistake(d, 10) ? "false" : d.chance(50));
        }
        if (d.chance(20)) {
            step.put("when", expression(d, mode, roots));
        }
        List<String> provides = new ArrayList<>();
        boolean forExecution = mode.forExecution();
        switch (type) {
            case "service_call" -> {
                OperationSpec operation = d.pick(operations);
                step.put("service", operation.service());
                step.put("method", operation.method());
                step.put("params", params(d, mode, operation, roots));
                String result = "st" + index;
                if (d.chance(60)) {
                    result = mode.mistake(d, 10) ? d.pick(List.of("Bad", "a-b", ""))
                            : d.pick(List.of("quote", "lead", "order", "payment", "items", "r" + index));
                    step.put("result", result);
                }
                provides.add(result);
                if (d.chance(20)) {
                    step.put("timeout_seconds", forExecution ? d.between(1, 5)
                            : mode.careful() ? d.pick(List.of(1, 5, 3600, 31_536_000))
                            : d.pick(List.<Object>of(1, 5, 0, -1, 31_536_000, 31_536_001, 1.5, "5",
                                    new BigInteger("9223372036854775808"))));
                }
                if (d.chance(30)) {
                    step.put("retry", retry(d, mode));
                }
            }
            case "condition" -> {
                step.put("condition", mode.careful() || d.chance(85) ? condition(d, mode, roots) : expression(d, roots));
                if (d.chance(40)) {
                    step.put("timeout_seconds", forExecution ? d.between(1, 3)
                            : mode.careful() ? d.pick(List.of(1, 3600, 604_800))
                            : d.pick(List.<Object>of(1, 3600, 0, 31_536_001, "1")));
                }
                if (d.chance(25)) {
                    List<OperationSpec> reads = operations.stream().filter(op -> !op.mutating()).toList();
                    OperationSpec operation = reads.isEmpty() || mode.mistake(d, 10) ? d.pick(operations) : d.pick(reads);
                    Map<String, Object> refresh = new LinkedHashMap<>();
                    refresh.put("service", operation.service());
                    refresh.put("method", operation.method());
                    refresh.put("params", params(d, mode, operation, roots));
                    String result = d.pick(List.of("quote", "fresh", "payment"));
                    if (!mode.mistake(d, 5)) {
                        refresh.put("result", result);
                        provides.add(result);
                    }
                    step.put("refresh", refresh);
                }
                if (d.chance(15)) {
                    step.put("wake_on", Map.of("event", mode.mistake(d, 30) ? "crm.quote.sent"
                            : d.pick(List.of("crm.quote.accepted", "billing.payment.updated")), "key", templateString(d, mode, roots)));
                }
                if (d.chance(20)) {
                    step.put("error", (mode.careful() ? "not yet: " : "") + templateString(d, mode, roots));
                }
            }
            case "transform" -> {
                Map<String, Object> set = new LinkedHashMap<>();
                int keys = d.between(mode.mistake(d, 5) ? 0 : 1, 3);
                for (int i = 0; i < keys; i++) {
                    String key = mode.mistake(d, 5) ? d.pick(List.of("Bad", "a-b", "", "1x"))
                            : d.pick(List.of("a", "b", "s", "n", "items", "quote", "k" + index));
                    set.put(key, template(d, mode, roots, 2));
                    provides.add(key);
                }
                step.put("set", set);
            }
            default -> step.put("seconds", 60);
        }
        if (d.chance(8)) {
            List<OperationSpec> writes = operations.stream().filter(OperationSpec::mutating).toList();
            OperationSpec operation = d.pick(writes.isEmpty() ? operations : writes);
            Map<String, Object> compensate = new LinkedHashMap<>();
            compensate.put("service", operation.service());
            compensate.put("method", operation.method());
            List<String> seen = new ArrayList<>(roots);
            seen.addAll(provides);
            compensate.put("params", params(d, mode, operation, seen));
            if (d.chance(30)) {
                compensate.put("retry", retry(d, mode));
            }
            step.put("compensate", compensate);
        }
        if (mode.mistake(d, 5)) {
            step.put(d.pick(List.of("set", "condition", "service", "retry", "refresh", "unknown", "Name")), value(d, 1));
        }
        available.addAll(provides);
        return step;
    }

    /** The context names a step reads: what is available, and in a careless definition now and then something that is not. */
    private static List<String> readable(Draw d, Mode mode, List<String> available) {
        List<String> roots = new ArrayList<>(available);
        if (roots.isEmpty() || mode.mistake(d, 10)) {
            roots.add(d.pick(List.of("missing", "quote", "data")));
        }
        return roots;
    }

    /** An expression for a definition: in a careful one, one that compiles (its evaluation may well fail). */
    private static String expression(Draw d, Mode mode, List<String> roots) {
        return mode.careful() ? compilable(d, roots, 3) : expression(d, roots);
    }

    /** A random tree of what the sandbox allows: it compiles, whatever it does at run time. */
    private static String compilable(Draw d, List<String> roots, int depth) {
        if (depth <= 0 || d.chance(30)) {
            return switch (d.weighted(5, 4, 3, 3, 1, 1)) {
                case 0 -> d.pick(roots);
                case 1 -> d.pick(roots) + d.pick(List.of(".a", ".status", ".items[0]", "['customer-ref']", ".id", "[1]"));
                case 2 -> d.pick(List.of("0", "1", "-1", "7", "2147483648", "1.5", "0.1", "1200.00", "1E+1000B", "10H",
                        "99999999999999999999999999999999999", "true", "false", "null"));
                case 3 -> "'" + d.pick(List.of("", "a", "accepted", "x y", "é", "${a}", BACKTRACKING, "(x+x+)+y")) + "'";
                case 4 -> "[" + compilable(d, roots, 0) + ", " + compilable(d, roots, 0) + "]";
                default -> "(" + d.pick(List.of("0", "1", "-5")) + " .. " + d.pick(List.of("3", "10", "1000")) + ")";
            };
        }
        // Comparisons do not chain in JEXL (a < b < c does not parse): compound operands go in parentheses.
        String left = grouped(compilable(d, roots, depth - 1));
        return switch (d.weighted(8, 2, 2, 1, 1, 2, 1)) {
            case 0 -> left + " " + d.pick(List.of("==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "/", "%",
                    "=^", "=$", "===", "!==", "and", "or")) + " " + grouped(compilable(d, roots, depth - 1));
            case 1 -> "(" + left + ")";
            case 2 -> d.pick(List.of("!", "-", "not ")) + "(" + left + ")";
            case 3 -> left + " ? " + compilable(d, roots, depth - 1) + " : " + compilable(d, roots, depth - 1);
            case 4 -> left + " ?? " + compilable(d, roots, depth - 1);
            case 5 -> left + " " + d.pick(List.of("=~", "!~")) + " '" + d.pick(PATTERNS.subList(0, 8)) + "'";
            default -> d.pick(List.of("size(", "empty(")) + left + ")";
        };
    }

    private static String grouped(String expression) {
        return expression.contains(" ") ? "(" + expression + ")" : expression;
    }

    /** A condition: a comparison or logic at the top, so that it often yields a boolean. */
    private static String condition(Draw d, Mode mode, List<String> roots) {
        String left = mode.careful() ? grouped(compilable(d, roots, 2)) : expression(d, roots, 2);
        String right = mode.careful() ? grouped(compilable(d, roots, 2)) : expression(d, roots, 2);
        return switch (d.weighted(4, 2, 2, 1, 1)) {
            case 0 -> left + " " + d.pick(List.of("==", "!=", "<", ">=", "===", "=^", "=$")) + " " + right;
            case 1 -> "(" + left + ") " + d.pick(List.of("&&", "||")) + " (" + right + ")";
            case 2 -> left + " " + d.pick(List.of("=~", "!~")) + " "
                    + (mode.careful() ? "'" + d.pick(PATTERNS.subList(0, 8)) + "'" : regexOperand(d, roots));
            case 3 -> "!empty(" + left + ")";
            default -> "size(" + left + ") > " + d.pick(List.of("0", "1", "2147483648"));
        };
    }

    /** A template string for a definition: in a careful one, well formed and reading only what is available. */
    private static String templateString(Draw d, Mode mode, List<String> roots) {
        if (!mode.careful()) {
            return templateString(d, roots);
        }
        if (d.chance(50)) {
            return "${" + wellFormedPath(d, roots) + "}";
        }
        int parts = d.between(1, 4);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            text.append(d.chance(50) ? "${" + wellFormedPath(d, roots) + "}" : d.pick(List.of("x", " ", "}", "Quote ", "$${", "€", ": ")));
        }
        return text.toString();
    }

    /** A template tree for a definition: in a careful one, every string well formed. */
    private static Object template(Draw d, Mode mode, List<String> roots, int depth) {
        if (!mode.careful()) {
            return template(d, roots, depth);
        }
        return switch (d.weighted(8, depth > 0 ? 2 : 0, depth > 0 ? 2 : 0, 2)) {
            case 0 -> templateString(d, mode, roots);
            case 1 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = d.between(0, 3);
                for (int i = 0; i < size; i++) {
                    map.put(d.pick(KEYS), template(d, mode, roots, depth - 1));
                }
                yield map;
            }
            case 2 -> {
                int size = d.between(0, 3);
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    list.add(template(d, mode, roots, depth - 1));
                }
                yield list;
            }
            default -> {
                Object value = value(d, 0);
                yield value instanceof String text && text.contains("${") ? "x" : value;
            }
        };
    }

    /** A well-formed path into what is available. */
    private static String wellFormedPath(Draw d, List<String> roots) {
        StringBuilder path = new StringBuilder(d.pick(roots));
        int segments = d.between(0, 2);
        for (int i = 0; i < segments; i++) {
            path.append(d.chance(70) ? "." + d.pick(List.of("a", "id", "status", "items", "customer-ref"))
                    : "[" + d.pick(List.of("0", "1", "5")) + "]");
        }
        return path.toString();
    }

    private static Map<String, Object> params(Draw d, Mode mode, OperationSpec operation, List<String> roots) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (String param : new java.util.TreeSet<>(operation.requiredParams())) {
            if (!mode.mistake(d, 5)) {
                params.put(param, d.chance(80) ? "${" + (mode.careful() ? wellFormedPath(d, roots) : templatePath(d, roots)) + "}"
                        : template(d, mode, roots, 1));
            }
        }
        for (String param : new java.util.TreeSet<>(operation.optionalParams())) {
            if (d.chance(30)) {
                params.put(param, template(d, mode, roots, 1));
            }
        }
        if (mode.mistake(d, 5)) {
            params.put(d.pick(List.of("unknown", "lead", "amount")), "${" + d.pick(roots) + "}");
        }
        return params;
    }

    private static Map<String, Object> retry(Draw d, Mode mode) {
        Map<String, Object> retry = new LinkedHashMap<>();
        if (mode.forExecution()) {
            retry.put("max_attempts", d.between(1, 3));
            retry.put("backoff_seconds", d.pick(List.of(0, new BigDecimal("0.05"), new BigDecimal("0.1"))));
            retry.put("multiplier", d.pick(List.of(1, 2)));
            retry.put("max_backoff_seconds", new BigDecimal("0.2"));
            return retry;
        }
        if (mode.careful()) {
            retry.put("max_attempts", d.between(1, 20));
            retry.put("backoff_seconds", d.pick(List.of(0, new BigDecimal("0.25"), 1, 2, new BigDecimal("1E-9"))));
            retry.put("multiplier", d.pick(List.of(1, new BigDecimal("1.5"), 2, 10)));
            retry.put("max_backoff_seconds", d.pick(List.of(60, 3600, 31_536_000)));
            return retry;
        }
        List<Object> numbers = List.of(1, 0, 2, 20, 21, -1, new BigDecimal("0.25"), new BigDecimal("1E-9"),
                new BigDecimal("1E-30"), 31_536_000, 31_536_001, new BigDecimal("1E+400"), "1",
                new BigInteger("99999999999999999999"), 1.5e300);
        if (d.chance(90)) {
            retry.put("max_attempts", d.pick(numbers));
        }
        for (String field : List.of("backoff_seconds", "multiplier", "max_backoff_seconds")) {
            if (d.chance(50)) {
                retry.put(field, d.pick(numbers));
            }
        }
        return retry;
    }

    /** Replaces a random part of the tree with junk (or drops it). */
    @SuppressWarnings("unchecked")
    private static Object mutate(Draw d, Object tree, int depth) {
        if (tree instanceof Map<?, ?> map && !map.isEmpty()) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
            List<String> keys = new ArrayList<>(copy.keySet());
            String key = d.pick(keys);
            if (depth < 4 && d.chance(60)) {
                copy.put(key, mutate(d, copy.get(key), depth + 1));
            } else if (d.chance(20)) {
                copy.remove(key);
            } else {
                copy.put(key, junk(d));
            }
            return copy;
        }
        if (tree instanceof List<?> list && !list.isEmpty()) {
            List<Object> copy = new ArrayList<>(list);
            int index = d.between(0, copy.size() - 1);
            copy.set(index, depth < 4 && d.chance(60) ? mutate(d, copy.get(index), depth + 1) : junk(d));
            return copy;
        }
        return junk(d);
    }

    /** Any JSON value, including odd ones. */
    public static Object junk(Draw d) {
        return switch (d.between(0, 6)) {
            case 0 -> null;
            case 1 -> List.of();
            case 2 -> Map.of();
            case 3 -> d.pick(NUMBERS);
            case 4 -> d.pick(List.of("", "x", "${", "${a}", "service_call", "1.0.0", "\u0000"));
            case 5 -> nested(d.between(1, 300));
            default -> {
                Object value = value(d, 2);
                yield value;
            }
        };
    }


    private static Object nested(int depth) {
        Object value = "deep";
        for (int i = 0; i < depth; i++) {
            value = i % 2 == 0 ? List.of(value) : Map.of("k", value);
        }
        return value;
    }

    /** A lower-case word for names that have to be unique. */
    public static String word(Draw d) {
        StringBuilder word = new StringBuilder();
        int length = d.between(4, 10);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + d.between(0, 25)));
        }
        return word.toString();
    }

    private static List<OperationSpec> operations(ServiceCatalog catalog) {
        List<OperationSpec> operations = new ArrayList<>();
        for (String service : new java.util.TreeSet<>(catalog.services())) {
            for (String method : new java.util.TreeSet<>(catalog.methods(service))) {
                catalog.operation(service, method).ifPresent(operations::add);
            }
        }
        return operations;
    }

    // ---- the issue's two cases, as definitions

    /** A condition that backtracks for hours on java.util.regex: {@code s =~ '(.*a){20}'}, for s = 40 'a' and '!'. */
    public static Map<String, Object> backtrackingDefinition(String name) {
        return Map.of("name", name, "version", "1.0.0", "inputs", List.of("s"), "steps", List.of(
                Map.of("name", "guard", "type", "transform", "when", "s =~ '" + BACKTRACKING + "'",
                        "set", Map.of("matched", true)),
                Map.of("name", "regex", "type", "condition", "condition", "s =~ '" + BACKTRACKING + "'")));
    }

    /** 21 transforms, each setting a_i to [a_(i-1), a_(i-1)]: 2^21 copies of the input as JSON. */
    public static Map<String, Object> doublingDefinition(String name) {
        List<Object> steps = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            steps.add(Map.of("name", "double_" + i, "type", "transform",
                    "set", Map.of("a_" + i, List.of("${a_" + (i - 1) + "}", "${a_" + (i - 1) + "}"))));
        }
        return Map.of("name", name, "version", "1.0.0", "inputs", List.of("a_0"), "steps", steps);
    }

    // ---- running a case

    /** Work that may throw anything; what it lets escape is what the property is about. */
    @FunctionalInterface
    public interface Work {
        void run() throws Throwable;
    }

    /**
     * Runs {@code work} on another thread and fails, naming {@code what}, if it takes longer than
     * {@code limit} (a liveness guard, not a speed claim) or lets any throwable escape, with that
     * throwable's stack trace in the message.
     */
    public static void withinTime(Duration limit, Supplier<String> what, Work work) {
        java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
        Future<?> done = GUARD.submit(() -> {
            worker.set(Thread.currentThread());
            try {
                work.run();
            } catch (Throwable e) {
                throw new Escaped(e);
            }
            return null;
        });
        try {
            done.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            stop(worker.get());
            throw new AssertionError("took longer than " + limit.toMillis() + " ms: " + what.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + what.get(), e);
        } catch (ExecutionException e) {
            Throwable escaped = e.getCause() instanceof Escaped wrapper ? wrapper.getCause() : e.getCause();
            throw new AssertionError(escaped.getClass().getName() + " escaped: " + what.get() + "\n" + stackTrace(escaped),
                    escaped);
        }
    }

    /**
     * Stops a thread that ran past its time, so that it does not go on using a core and make the next
     * cases (and their shrinking) time out too. Thread.stop works up to Java 19 (the build's Java is
     * 17); on a later Java the thread is left to finish.
     */
    private static void stop(Thread runaway) {
        if (runaway == null) {
            return;
        }
        try {
            Thread.class.getMethod("stop").invoke(runaway);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // UnsupportedOperationException from Java 20 on: nothing more to do
        }
    }

    /** Carries what the work threw out of the executor. */
    private static final class Escaped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Escaped(Throwable cause) {
            super(cause);
        }
    }

    public static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        String trace = text.toString();
        // A stack overflow's trace repeats a few frames a thousand times.
        return trace.length() > 6_000 ? trace.substring(0, 6_000) + "\n\t… (" + trace.length() + " characters)" : trace;
    }

    /** A deep copy of context data, to see that nothing changed it. */
    public static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(HostileInputs::copy).collect(Collectors.toCollection(ArrayList::new));
        }
        return value;
    }

    /** Values as Java writes them, with long strings cut so that a report stays readable. */
    public static String describe(Object value) {
        if (value instanceof String text) {
            String shown = text.length() <= 120 ? text
                    : text.substring(0, 60) + "…(" + text.length() + " chars)…" + text.substring(text.length() - 20);
            return "\"" + shown.replace("\u0000", "\\u0000").replace("\n", "\\n") + "\"";
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> describe(e.getKey()) + ": " + describe(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(HostileInputs::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Record record) {
            return record.getClass().getSimpleName() + components(record);
        }
        return value == null ? "null" : value + (value instanceof Number ? " (" + value.getClass().getSimpleName() + ")" : "");
    }

    /** A record's components, each with {@link #describe}. */
    private static String components(Record record) {
        List<String> parts = new ArrayList<>();
        for (var component : record.getClass().getRecordComponents()) {
            try {
                component.getAccessor().setAccessible(true);
                parts.add(component.getName() + "=" + describe(component.getAccessor().invoke(record)));
            } catch (ReflectiveOperationException e) {
                parts.add(component.getName() + "=?");
            }
        }
        return "[" + String.join(", ", parts) + "]";
    }
}
