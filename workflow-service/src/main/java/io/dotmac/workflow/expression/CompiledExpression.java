package io.dotmac.workflow.expression;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;

/**
 * A condition expression that {@link ExpressionEngine} has parsed and checked against its
 * sandbox, ready to be evaluated any number of times, from any thread, against different
 * execution contexts. It also reports which top-level context entries the expression reads, so a
 * definition can be validated against what earlier steps produce.
 */
public final class CompiledExpression {

    private final String source;
    private final JexlScript script;
    private final Set<String> roots;
    private final Duration maxTime;

    CompiledExpression(String source, JexlScript script, Duration maxTime) {
        this.source = source;
        this.script = script;
        this.maxTime = maxTime;
        Set<String> names = new LinkedHashSet<>();
        for (List<String> variable : script.getVariables()) {
            if (!variable.isEmpty()) {
                names.add(variable.get(0));
            }
        }
        this.roots = Collections.unmodifiableSet(names);
    }

    /** The expression exactly as written in the definition. */
    public String source() {
        return source;
    }

    /**
     * The top-level context keys the expression reads, in order of first appearance; for
     * {@code quote.status == 'accepted' && lead.score > 3} that is {@code [quote, lead]}.
     */
    public Set<String> roots() {
        return roots;
    }

    /**
     * Evaluates the expression against {@code context}, which is only read.
     *
     * @throws ExpressionException when a variable or property is undefined, the evaluation goes
     *         beyond its limits, or JEXL fails otherwise, quoting the expression and the reason
     */
    public Object evaluate(Map<String, Object> context) {
        Objects.requireNonNull(context, "context");
        try {
            return EvaluationBudget.within(maxTime, () -> script.execute(new MapContext(context)));
        } catch (EvaluationBudget.OverBudgetException | IllegalArgumentException e) {
            throw new ExpressionException("expression '" + source + "' " + e.getMessage(), e);
        } catch (JexlException e) {
            Throwable limit = limitIn(e);
            if (limit != null) {
                throw new ExpressionException("expression '" + source + "' " + limit.getMessage(), e);
            }
            // JEXL reports 'nope.x' on a missing 'nope' as a null-property error, so name the
            // missing roots explicitly.
            List<String> missing = roots.stream().filter(root -> !context.containsKey(root)).toList();
            String problem = missing.isEmpty()
                    ? "failed"
                    : "failed (not in the context: " + String.join(", ", missing) + ")";
            throw ExpressionException.fromJexl(source, problem, e);
        }
    }

    // JEXL wraps what its arithmetic throws; a limit or a pattern RE2 refuses is told as it is.
    private static Throwable limitIn(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EvaluationBudget.OverBudgetException || cause instanceof IllegalArgumentException) {
                return cause;
            }
        }
        return null;
    }

    /**
     * Evaluates the expression as a condition.
     *
     * @throws ExpressionException when evaluation fails or the result is not a Boolean; a
     *         condition that yields null or a string is a definition error, not "false"
     */
    public boolean test(Map<String, Object> context) {
        Object value = evaluate(context);
        if (value instanceof Boolean result) {
            return result;
        }
        String yielded = value == null ? "null" : value.getClass().getSimpleName() + " " + value;
        throw new ExpressionException(
                "expression '" + source + "' yielded " + yielded + ", not true or false");
    }

    @Override
    public String toString() {
        return source;
    }
}
