package io.dotmac.workflow.expression;

import java.time.Duration;

/**
 * How far one expression may go, so that a tenant's condition can neither hold a thread nor fill
 * the heap: its length as written, the time one evaluation may take, the longest string it may
 * build, and the size of a regular expression's program and of the text it is matched against.
 */
public record ExpressionLimits(int maxLength, Duration maxTime, int maxStringLength, int maxRegexSize,
                               int maxRegexInput) {

    public static final ExpressionLimits DEFAULTS =
            new ExpressionLimits(2_000, Duration.ofMillis(100), 1 << 20, 100_000, 64 * 1024);
}
