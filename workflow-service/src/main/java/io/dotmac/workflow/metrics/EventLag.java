package io.dotmac.workflow.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The timer {@code workflow.event.lag} by topic and action: from an event's time (its CloudEvent
 * {@code time}, set by the service that emitted it) to the execution it started, or the waiting
 * executions it woke. It includes the outbox relay, Kafka and the inbox. An event without a time
 * is not counted; the clocks of two hosts may disagree, and a negative lag counts as zero.
 */
@ApplicationScoped
public class EventLag {

    /** What an event did to an execution. */
    public enum Action {
        START, WAKE;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private static final Duration[] BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    EventLag(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String topic, Action action, OffsetDateTime eventTime) {
        if (eventTime == null) {
            return;
        }
        Duration lag = Duration.between(eventTime.toInstant(), clock.instant());
        timers.computeIfAbsent(topic + "|" + action.tag, key -> Timer.builder("workflow.event.lag")
                        .description("From an event's time to the execution it started or woke")
                        .tag("topic", topic)
                        .tag("action", action.tag)
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }
}
