package io.dotmac.workflow.expression;

import java.math.MathContext;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.introspection.JexlPermissions;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * Compiles the condition expressions found in workflow definitions. Definitions are untrusted
 * input, so the JEXL engine here only accepts a single side-effect-free expression over the
 * execution context: comparisons, logic, arithmetic, literals, {@code size()}, {@code empty()}
 * and {@code =~}, reading map keys and list elements. Loops, assignments, {@code new}, lambdas,
 * method calls, local variables, pragmas, annotations, multiple statements and backquoted
 * template strings are rejected when the expression is compiled, and at run time nothing but
 * context data is reachable (see ContextDataUberspect). Evaluation is strict, so an undefined
 * variable or key is an error rather than null, and decimal arithmetic uses BigDecimal with
 * {@link MathContext#DECIMAL128}. Expressions are bounded ({@link ExpressionLimits}): in length when
 * compiled, and in time, string size and regular-expression size when evaluated, where {@code =~}
 * runs on RE2/J. Instances are thread-safe and meant to be shared.
 */
public class ExpressionEngine {

    /** Bounds memory; definitions are compiled once when loaded, so hits matter little. */
    private static final int CACHE_SIZE = 256;

    /** Negative: keep BigDecimal results at their natural scale instead of rounding to one. */
    private static final int NO_FIXED_SCALE = -1;

    private static final String INFO_NAME = "expression";

    /** Brackets inside brackets; the parser takes a few stack frames per level. */
    private static final int MAX_NESTING = 64;

    private static final int MAX_EXPONENT_DIGITS = 4;

    /** What is not switched off here stays: literals (lists for =~), ternaries, operators. */
    private static final JexlFeatures FEATURES = new JexlFeatures()
            .script(false)
            .loops(false)
            .sideEffect(false)
            .sideEffectGlobal(false)
            .newInstance(false)
            .lambda(false)
            .thinArrow(false)
            .fatArrow(false)
            .methodCall(false)
            .localVar(false)
            .pragma(false)
            .pragmaAnywhere(false)
            .namespacePragma(false)
            .importPragma(false)
            .namespaceIdentifier(false)
            .annotation(false)
            .register(false);

    private final JexlEngine jexl;
    private final ExpressionLimits limits;

    public ExpressionEngine() {
        this(ExpressionLimits.DEFAULTS);
    }

    public ExpressionEngine(ExpressionLimits limits) {
        this.limits = limits;
        // JexlBuilder ignores permissions once an uberspect is supplied, so the RESTRICTED base
        // that the data-only layer delegates to is taken from an engine built just for it.
        JexlUberspect restricted =
                new JexlBuilder().permissions(JexlPermissions.RESTRICTED).create().getUberspect();
        this.jexl = new JexlBuilder()
                .uberspect(new ContextDataUberspect(restricted))
                .features(FEATURES)
                .strict(true)
                .silent(false)
                .safe(false)
                // Otherwise an undefined 'a' in 'a.b' is retried as a variable literally named "a.b".
                .antish(false)
                .arithmetic(new BoundedArithmetic(limits, new BoundedRegex(limits), true, MathContext.DECIMAL128, NO_FIXED_SCALE))
                .cache(CACHE_SIZE)
                .create();
    }

    /**
     * Parses {@code source} and checks it against the allowed language subset.
     *
     * @throws ExpressionException when the source is blank, does not parse, or uses a
     *         forbidden construct; the message quotes the source and JEXL's position and detail
     */
    public CompiledExpression compile(String source) {
        if (source == null) {
            throw new ExpressionException("expression is missing (null)");
        }
        if (source.isBlank()) {
            throw new ExpressionException("expression '" + source + "' is blank");
        }
        if (source.length() > limits.maxLength()) {
            throw new ExpressionException("expression '" + source.substring(0, Math.min(80, source.length())) + "…' is " + source.length()
                    + " characters long; at most " + limits.maxLength() + " are allowed (workflow.limits.expression-length)");
        }
        String shape = shapeProblem(source);
        if (shape != null) {
            throw new ExpressionException("expression " + excerpt(source) + " " + shape);
        }
        JexlScript script;
        try {
            script = jexl.createScript(FEATURES, new JexlInfo(INFO_NAME, 1, 1), source);
        } catch (StackOverflowError e) {
            // The parser recurses once per nesting level; what shapeProblem lets through should not get here.
            throw new ExpressionException("expression '" + source.substring(0, Math.min(80, source.length()))
                    + "…' nests too deeply to be parsed");
        } catch (JexlException.Feature e) {
            throw ExpressionException.fromJexl(source, "uses a construct that is not allowed", e);
        } catch (JexlException e) {
            throw ExpressionException.fromJexl(source, "is not valid", e);
        } catch (PatternSyntaxException e) {
            // The parser compiles a ~/…/ literal for java.util.regex as it reads it (RE2/J matches it later).
            throw new ExpressionException("expression " + excerpt(source) + " has a regular expression that is not valid: "
                    + e.getDescription());
        }
        return new CompiledExpression(source, script, limits.maxTime());
    }

    /** The source quoted in a message: its first 80 characters, "…" when there are more. */
    private static String excerpt(String source) {
        return "'" + source.substring(0, Math.min(80, source.length())) + (source.length() > 80 ? "…" : "") + "'";
    }

    /**
     * What the parser must not see, read outside string literals: a backquoted template, nesting deeper than
     * {@value #MAX_NESTING} (its recursion would overflow the stack) and a number whose exponent has
     * more than {@value #MAX_EXPONENT_DIGITS} digits (1E+999999999B takes seconds to write out in an
     * error). Null when none of them.
     */
    private static String shapeProblem(String source) {
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '`') {
                // JEXL has no feature switch for `...${x}` strings, whose inner expressions it parses only
                // when evaluating, out of sight of getVariables().
                return "uses a construct that is not allowed at offset " + i
                        + ": backquoted template strings are not supported, use 'text' + value";
            } else if (c == '(' || c == '[' || c == '{') {
                if (++depth > MAX_NESTING) {
                    return "nests brackets more than " + MAX_NESTING + " deep";
                }
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if ((c == 'e' || c == 'E') && i > 0 && (Character.isDigit(source.charAt(i - 1)) || source.charAt(i - 1) == '.')
                    && exponentDigits(source, i + 1) > MAX_EXPONENT_DIGITS) {
                return "has a number whose exponent has more than " + MAX_EXPONENT_DIGITS + " digits";
            }
        }
        return null;
    }

    private static int exponentDigits(String source, int from) {
        int i = from < source.length() && (source.charAt(from) == '+' || source.charAt(from) == '-') ? from + 1 : from;
        int start = i;
        while (i < source.length() && Character.isDigit(source.charAt(i))) {
            i++;
        }
        return i - start;
    }
}
