package io.dotmac.workflow.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Backoff arithmetic and the invariants a policy from configuration must satisfy. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));

    @Test
    void backoffGrowsByTheMultiplierFromTheFirstRetry() {
        assertEquals(Duration.ofSeconds(1), policy.backoffBefore(1));
        assertEquals(Duration.ofSeconds(2), policy.backoffBefore(2));
        assertEquals(Duration.ofSeconds(32), policy.backoffBefore(6));
    }

    @Test
    void backoffStopsAtTheCeilingEvenForAbsurdRetryNumbers() {
        assertEquals(Duration.ofSeconds(60), policy.backoffBefore(7));
        assertEquals(Duration.ofSeconds(60), policy.backoffBefore(5000));
    }

    @Test
    void fractionalMultiplierKeepsSubSecondPrecision() {
        RetryPolicy gentle = new RetryPolicy(5, Duration.ofMillis(500), 1.5, Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(750), gentle.backoffBefore(2));
        assertEquals(Duration.ofMillis(1125), gentle.backoffBefore(3));
    }

    @Test
    void noneMakesOneAttemptWithoutWaiting() {
        RetryPolicy none = RetryPolicy.none();
        assertEquals(1, none.maxAttempts());
        assertEquals(Duration.ZERO, none.backoffBefore(1));
    }

    @Test
    void rejectsInconsistentPolicies() {
        assertEquals("maxAttempts must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ZERO, 1, Duration.ZERO)).getMessage());
        assertEquals("multiplier must be at least 1, was 0.5", assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ZERO, 0.5, Duration.ZERO)).getMessage());
        assertEquals("maxBackoff PT1S is shorter than initialBackoff PT2S", assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofSeconds(2), 2, Duration.ofSeconds(1))).getMessage());
        assertEquals("retryNumber starts at 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> policy.backoffBefore(0)).getMessage());
    }
}
