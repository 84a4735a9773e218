package io.dotmac.workflow.inbox;

import io.dotmac.common.config.EventTopics;
import io.quarkus.arc.Arc;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Binary-mode CloudEvents as the other services' outbox relays publish them, for the tests: on the
 * test suite's own topics (the application's {@link EventTopics}).
 */
final class CloudEvents {

    static final String SOURCE = "/crm-service/test";

    private CloudEvents() {
    }

    /** An event of {@code tenant} (null: none), keyed by the business id. */
    static ProducerRecord<String, String> event(String topic, String key, String id, String tenant, String json) {
        ProducerRecord<String, String> record = new ProducerRecord<>(onBroker(topic), key, json);
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(id))
                .add("ce_source", bytes(SOURCE))
                .add("ce_type", bytes("io.dotmac." + topic))
                .add("ce_time", bytes("2026-11-25T10:00:00Z"))
                .add("content-type", bytes("application/json"));
        if (tenant != null) {
            record.headers().add("ce_tenantid", bytes(tenant));
        }
        return record;
    }

    /** The broker's topic for the event {@code topic} in this test run. */
    static String onBroker(String topic) {
        return Arc.container().instance(EventTopics.class).get().onBroker(topic);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
