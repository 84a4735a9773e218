package io.dotmac.workflow.expression;

import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlInfo;

/**
 * Thrown when a condition expression cannot be compiled (blank, syntax error, forbidden construct)
 * or fails while being evaluated (undefined variable or property, arithmetic error, a non-boolean
 * where a condition was expected). The message always quotes the expression and says what went
 * wrong, including JEXL's position information where there is one.
 */
public class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** JEXL prefixes its messages with "name@line:column"; the position is reported separately. */
    private static final Pattern JEXL_LOCATION = Pattern.compile("^\\S*@\\d+:\\d+\\s*");

    public ExpressionException(String message) {
        super(message);
    }

    public ExpressionException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the evaluation ran out of its time budget: worth another attempt, since a busy
     * machine can be the cause as well as the expression.
     */
    public boolean outOfTime() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof EvaluationBudget.OutOfTimeException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Builds "expression 'SOURCE' PROBLEM at LINE:COLUMN: JEXL DETAIL (CAUSE)" so every JEXL
     * failure reads the same way whether it happened while compiling or evaluating.
     */
    static ExpressionException fromJexl(String source, String problem, JexlException e) {
        StringBuilder message =
                new StringBuilder("expression '").append(source).append("' ").append(problem);
        JexlInfo info = e.getInfo();
        if (info != null) {
            message.append(" at ").append(info.getLine()).append(':').append(info.getColumn());
        }
        String detail = JEXL_LOCATION.matcher(e.getMessage()).replaceFirst("");
        message.append(": ").append(detail);
        // Arithmetic failures keep the useful part (e.g. which operands) only in the cause.
        Throwable cause = e.getCause();
        if (cause != null && !(cause instanceof JexlException) && cause.getMessage() != null
                && !detail.contains(cause.getMessage())) {
            message.append(" (").append(cause.getMessage()).append(')');
        }
        return new ExpressionException(message.toString(), e);
    }
}
