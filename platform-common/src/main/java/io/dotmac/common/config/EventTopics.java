package io.dotmac.common.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where an event's topic lives on the broker. Events are named by their topic
 * ({@code crm.quote.accepted}); {@code controlplane.kafka.topic-prefix} puts a suite's topics in a
 * namespace of their own ({@code test.crm.quote.accepted}), so that tests, the e2e suite and a
 * running local suite share one broker without consuming each other's events. The outbox relay
 * adds the prefix; a consumer takes it off again, so workflows, the inbox and metrics only ever see
 * the event's name. Made at start, so that a prefix Kafka would refuse stops the service there.
 */
@Startup
@ApplicationScoped
public class EventTopics {

    public static final String PREFIX = "controlplane.kafka.topic-prefix";
    // Kafka's own rule for a topic's characters; the length is bounded well below its 249.
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{0,64}");

    private final String prefix;

    public EventTopics(@ConfigProperty(name = PREFIX) Optional<String> prefix) {
        this.prefix = prefix.orElse("");
        if (!LEGAL.matcher(this.prefix).matches()) {
            throw new IllegalStateException(PREFIX + "=" + this.prefix
                    + " cannot start a Kafka topic's name: use at most 64 of a-z, A-Z, 0-9, '.', '_' and '-'");
        }
    }

    /** The broker's topic for the event {@code topic}. */
    public String onBroker(String topic) {
        return prefix + topic;
    }

    /** The event's topic for a record read from {@code brokerTopic}. */
    public String ofRecord(String brokerTopic) {
        return brokerTopic.startsWith(prefix) ? brokerTopic.substring(prefix.length()) : brokerTopic;
    }
}
