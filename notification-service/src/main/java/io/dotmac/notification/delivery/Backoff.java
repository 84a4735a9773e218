package io.dotmac.notification.delivery;

import io.dotmac.notification.config.NotificationConfig;
import java.time.Duration;

/**
 * When a failed notification is tried again: exponentially later after each failed attempt, up
 * to a ceiling, and never again after the last allowed attempt.
 */
public record Backoff(int maxAttempts, Duration initial, double multiplier, Duration max) {

    public static Backoff of(NotificationConfig.Delivery config) {
        return new Backoff(config.maxAttempts(), config.initialBackoff(), config.multiplier(), config.maxBackoff());
    }

    /** The wait after failed attempt number {@code attempts} (from 1), or null when that was the last one. */
    public Duration after(int attempts) {
        if (attempts >= maxAttempts) {
            return null;
        }
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempts - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
