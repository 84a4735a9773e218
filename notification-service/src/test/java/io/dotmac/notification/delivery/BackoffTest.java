package io.dotmac.notification.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(6, Duration.ofSeconds(30), 2, Duration.ofMinutes(3));

    @Test
    void waitsGrowExponentiallyUpToTheCeiling() {
        assertEquals(Duration.ofSeconds(30), backoff.after(1));
        assertEquals(Duration.ofSeconds(60), backoff.after(2));
        assertEquals(Duration.ofSeconds(120), backoff.after(3));
        assertEquals(Duration.ofMinutes(3), backoff.after(4));
        assertEquals(Duration.ofMinutes(3), backoff.after(5));
    }

    @Test
    void theLastAttemptHasNoNext() {
        assertNull(backoff.after(6));
        assertNull(new Backoff(1, Duration.ofSeconds(1), 2, Duration.ofSeconds(5)).after(1));
    }
}
