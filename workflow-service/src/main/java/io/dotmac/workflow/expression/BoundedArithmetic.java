package io.dotmac.workflow.expression;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.commons.jexl3.JexlArithmetic;

/**
 * JEXL's arithmetic with limits: every operator first checks the evaluation's time budget, {@code +}
 * refuses to build a string longer than the limit (a chain of {@code s + s} would double it each
 * time), whole numbers are kept to about a thousand digits, and {@code =~}/{@code !~} against a string match it with {@link BoundedRegex} (RE2/J, linear
 * time) instead of java.util.regex, whose backtracking a pattern such as {@code (.*a){20}} holds
 * for hours.
 */
final class BoundedArithmetic extends JexlArithmetic {

    /** About 1,000 decimal digits, as many as a JSON number may have. */
    private static final int MAX_INTEGER_BITS = 3_400;
    /** The exponent of a decimal: as far as JSON writers go with plain digits. */
    private static final int MAX_SCALE = 9_999;

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
        guard(container, value);
        // Whether a collection holds all of a range (0 .. 2147483647) is a walk over the range, whose
        // size() overflows: ranges are matched against, never matched.
        if (value instanceof Collection<?> && !(value instanceof List<?> || value instanceof Set<?>)) {
            throw new EvaluationBudget.OverBudgetException("matches a range against a collection; match its elements instead");
        }
        // A ~/…/ literal arrives compiled for java.util.regex: it is matched by RE2/J all the same.
        if (container instanceof java.util.regex.Pattern pattern && value != null) {
            return regex.matches(pattern.pattern(), value.toString());
        }
        if (container instanceof CharSequence pattern && value != null) {
            return regex.matches(pattern.toString(), value.toString());
        }
        return super.contains(container, value);
    }

    @Override
    public Object add(Object left, Object right) {
        guard(left, right);
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
    public Object subtract(Object left, Object right) {
        guard(left, right);
        return bounded(super.subtract(left, right));
    }

    @Override
    public Object multiply(Object left, Object right) {
        guard(left, right);
        return bounded(super.multiply(left, right));
    }

    @Override
    public Object divide(Object left, Object right) {
        guard(left, right);
        return bounded(super.divide(left, right));
    }

    @Override
    public Object mod(Object left, Object right) {
        guard(left, right);
        return bounded(super.mod(left, right));
    }

    @Override
    public Object negate(Object value) {
        guard(value, null);
        return bounded(super.negate(value));
    }

    @Override
    public Object and(Object left, Object right) {
        guard(left, right);
        return bounded(super.and(left, right));
    }

    @Override
    public Object or(Object left, Object right) {
        guard(left, right);
        return bounded(super.or(left, right));
    }

    @Override
    public Object xor(Object left, Object right) {
        guard(left, right);
        return bounded(super.xor(left, right));
    }

    @Override
    public Object complement(Object value) {
        guard(value, null);
        return bounded(super.complement(value));
    }

    @Override
    public Object shiftLeft(Object left, Object right) {
        guard(left, right);
        if (left instanceof BigInteger big && right instanceof Number bits
                && big.bitLength() + bits.longValue() > MAX_INTEGER_BITS) {
            throw tooLong();
        }
        return bounded(super.shiftLeft(left, right));
    }

    @Override
    public Object shiftRight(Object left, Object right) {
        guard(left, right);
        return bounded(super.shiftRight(left, right));
    }

    @Override
    public Object shiftRightUnsigned(Object left, Object right) {
        guard(left, right);
        return bounded(super.shiftRightUnsigned(left, right));
    }

    /**
     * Before any operator: the time budget, and operands within bounds. A decimal from the context
     * with a huge exponent (1E+999999999) would take seconds in % or / and gigabytes written plain.
     */
    private static void guard(Object left, Object right) {
        EvaluationBudget.check();
        operand(left);
        operand(right);
    }

    private static void operand(Object value) {
        if (value instanceof BigDecimal decimal && Math.abs((long) decimal.scale()) > MAX_SCALE) {
            throw new EvaluationBudget.OverBudgetException("reads a decimal with an exponent beyond " + MAX_SCALE);
        }
        bounded(value);
    }

    // Whole numbers beyond a long (read from JSON, or grown by *) are BigIntegers: each product can
    // double their length, so a chain of them is stopped at a bound, like strings.
    private static Object bounded(Object result) {
        if (result instanceof BigInteger big && big.bitLength() > MAX_INTEGER_BITS) {
            throw tooLong();
        }
        return result;
    }

    private static EvaluationBudget.OverBudgetException tooLong() {
        return new EvaluationBudget.OverBudgetException("would build a whole number of more than " + MAX_INTEGER_BITS
                + " bits; numbers are limited to about 1,000 digits");
    }

    @Override
    public boolean equals(Object left, Object right) {
        guard(left, right);
        return super.equals(left, right);
    }

    @Override
    public boolean lessThan(Object left, Object right) {
        guard(left, right);
        return super.lessThan(left, right);
    }

    @Override
    public boolean lessThanOrEqual(Object left, Object right) {
        guard(left, right);
        return super.lessThanOrEqual(left, right);
    }

    @Override
    public boolean greaterThan(Object left, Object right) {
        guard(left, right);
        return super.greaterThan(left, right);
    }

    @Override
    public boolean greaterThanOrEqual(Object left, Object right) {
        guard(left, right);
        return super.greaterThanOrEqual(left, right);
    }

    @Override
    public Boolean startsWith(Object left, Object right) {
        guard(left, right);
        return super.startsWith(left, right);
    }

    @Override
    public Boolean endsWith(Object left, Object right) {
        guard(left, right);
        return super.endsWith(left, right);
    }
}
