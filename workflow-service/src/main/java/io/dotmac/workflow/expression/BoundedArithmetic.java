package io.dotmac.workflow.expression;

import java.math.MathContext;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * JEXL's arithmetic with limits: every operator first checks the evaluation's time budget, {@code +}
 * refuses to build a string longer than the limit (a chain of {@code s + s} would double it each
 * time), and {@code =~}/{@code !~} against a string match it with {@link BoundedRegex} (RE2/J, linear
 * time) instead of java.util.regex, whose backtracking a pattern such as {@code (.*a){20}} holds
 * for hours.
 */
final class BoundedArithmetic extends JexlArithmetic {

    private final ExpressionLimits limits;
    private final BoundedRegex regex;

    BoundedArithmetic(ExpressionLimits limits, BoundedRegex regex, boolean strict, MathContext context, int scale) {
        super(strict, context, scale);
        this.limits = limits;
        this.regex = regex;
    }

    @Override
    protected JexlArithmetic createWithOptions(boolean strict, MathContext context, int scale) {
        return new BoundedArithmetic(limits, regex, strict, context, scale);
    }

    @Override
    public Boolean contains(Object container, Object value) {
        EvaluationBudget.check();
        if (container instanceof CharSequence pattern && value != null) {
            return regex.matches(pattern.toString(), value.toString());
        }
        return super.contains(container, value);
    }

    @Override
    public Object add(Object left, Object right) {
        EvaluationBudget.check();
        if (left instanceof CharSequence || right instanceof CharSequence) {
            long length = String.valueOf(left).length() + (long) String.valueOf(right).length();
            if (length > limits.maxStringLength()) {
                throw new EvaluationBudget.OverBudgetException("would build a string of " + length
                        + " characters; at most " + limits.maxStringLength() + " are allowed (workflow.limits.expression-string)");
            }
        }
        return super.add(left, right);
    }

    @Override
    public boolean equals(Object left, Object right) {
        EvaluationBudget.check();
        return super.equals(left, right);
    }

    @Override
    public boolean lessThan(Object left, Object right) {
        EvaluationBudget.check();
        return super.lessThan(left, right);
    }

    @Override
    public boolean lessThanOrEqual(Object left, Object right) {
        EvaluationBudget.check();
        return super.lessThanOrEqual(left, right);
    }

    @Override
    public boolean greaterThan(Object left, Object right) {
        EvaluationBudget.check();
        return super.greaterThan(left, right);
    }

    @Override
    public boolean greaterThanOrEqual(Object left, Object right) {
        EvaluationBudget.check();
        return super.greaterThanOrEqual(left, right);
    }

    @Override
    public Boolean startsWith(Object left, Object right) {
        EvaluationBudget.check();
        return super.startsWith(left, right);
    }

    @Override
    public Boolean endsWith(Object left, Object right) {
        EvaluationBudget.check();
        return super.endsWith(left, right);
    }
}
