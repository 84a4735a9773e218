package io.dotmac.workflow.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a step is attempted and how long the engine waits between attempts: exponential
 * backoff with a ceiling, so a flapping service is not hammered and a long outage is not waited
 * out with ever longer gaps.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, was " + initialBackoff);
        }
        // Written as a negation so that NaN is rejected too.
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
        }
    }

    /** One attempt and no waiting: a step that must not be repeated automatically. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /**
     * The wait before retry number {@code retryNumber} (1 = the first retry, i.e. the second
     * attempt): initialBackoff × multiplier^(retryNumber-1), never more than maxBackoff.
     */
    public Duration backoffBefore(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retryNumber starts at 1, was " + retryNumber);
        }
        // Computed in floating point because the power overflows a long after a few dozen retries;
        // anything at or past the ceiling (including infinity) is the ceiling.
        double nanos = initialBackoff.toNanos() * Math.pow(multiplier, retryNumber - 1);
        if (nanos >= maxBackoff.toNanos()) {
            return maxBackoff;
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
