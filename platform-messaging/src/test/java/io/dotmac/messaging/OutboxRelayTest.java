package io.dotmac.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.config.EventTopics;
import io.dotmac.common.outbox.OutboxEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay against the real PostgreSQL and Kafka: what is committed is published, as a CloudEvent, once, in order. */
@QuarkusTest
class OutboxRelayTest {

    private static final String TOPIC = "platform.test.outbox";

    @Inject
    Pool pool;

    @Inject
    Tracer tracer;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @Inject
    EventTopics topics;

    KafkaCompanion kafka;
    ConsumerTask<String, String> topic;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrapServers);
        // From the start of the topic, which tests share across runs: each test filters by its own key.
        topic = kafka.consumeStrings().fromTopics(topics.onBroker(TOPIC));
    }

    @AfterEach
    void close() {
        topic.close();
        kafka.close();
    }

    @Test
    void aCommittedEventIsPublishedOnceAsABinaryCloudEvent() {
        String key = "quote-" + UUID.randomUUID();
        OutboxEvent event = OutboxEvent.of(TOPIC, key, "platform.test.happened", "tenant-a",
                Map.of("quote_id", key, "total_amount", "99.99", "items", List.of(Map.of("product_code", "isp-core"))));
        write(event, true);

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> publishedAt(event.id) != null);
        List<ConsumerRecord<String, String>> records = recordsWithKey(key, 1);
        assertEquals(1, records.size());
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals(event.id.toString(), header(record, "ce_id"));
        assertEquals("platform.test.happened", header(record, "ce_type"));
        assertEquals("/platform-messaging-test", header(record, "ce_source"));
        assertEquals("tenant-a", header(record, "ce_tenantid"));
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals("application/json", header(record, "content-type"));
        JsonObject data = new JsonObject(record.value());
        assertEquals("99.99", data.getString("total_amount"));
        assertEquals("isp-core", data.getJsonArray("items").getJsonObject(0).getString("product_code"));

        Row row = pool.preparedQuery("SELECT attempts, last_error FROM outbox_events WHERE id = $1").execute(Tuple.of(event.id))
                .await().indefinitely().iterator().next();
        assertEquals(1, row.getInteger("attempts"));
        assertNull(row.getString("last_error"));
    }

    @Test
    void anEventWrittenInATraceGoesOnInIt() {
        String key = "traced-" + UUID.randomUUID();
        Span request = tracer.spanBuilder("a request").startSpan();
        OutboxEvent event;
        try (Scope ignored = request.makeCurrent()) {
            event = OutboxEvent.of(TOPIC, key, "platform.test.happened", "tenant-a", Map.of());
        } finally {
            request.end();
        }
        String trace = request.getSpanContext().getTraceId();
        assertEquals("00-" + trace + "-" + request.getSpanContext().getSpanId() + "-00", event.traceparent,
                "the row keeps the trace it was written in (not sampled here)");
        write(event, true);

        ConsumerRecord<String, String> record = recordsWithKey(key, 1).get(0);
        assertEquals(event.traceparent, header(record, "ce_traceparent"));
        String kafka = header(record, "traceparent");
        assertTrue(kafka != null && kafka.startsWith("00-" + trace + "-"), "the producer's span is of the same trace: " + kafka);
        // Written outside any trace: no extension.
        write(OutboxEvent.of(TOPIC, key, "platform.test.happened", "tenant-a", Map.of()), true);
        assertNull(recordsWithKey(key, 2).get(1).headers().lastHeader("ce_traceparent"));
    }

    @Test
    void anEventOfARolledBackTransactionIsNeverPublished() {
        String rolledBack = "rolled-back-" + UUID.randomUUID();
        String committed = "committed-" + UUID.randomUUID();
        write(OutboxEvent.of(TOPIC, rolledBack, "platform.test.happened", "tenant-a", Map.of()), false);
        OutboxEvent later = OutboxEvent.of(TOPIC, committed, "platform.test.happened", "tenant-a", Map.of());
        write(later, true);

        // The relay publishes in commit order: once the later event is out, the earlier one would be too.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> publishedAt(later.id) != null);
        assertEquals(1, recordsWithKey(committed, 1).size());
        assertTrue(read(rolledBack).isEmpty());
    }

    @Test
    void eventsOfOneKeyArriveInTheOrderTheyWereWritten() {
        String key = "order-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            write(OutboxEvent.of(TOPIC, key, "platform.test.step", null, Map.of("n", i)), true);
        }
        List<ConsumerRecord<String, String>> records = recordsWithKey(key, 5);
        assertEquals(List.of(0, 1, 2, 3, 4), records.stream().map(r -> new JsonObject(r.value()).getInteger("n")).toList());
        assertNotNull(records.get(0).headers().lastHeader("ce_id"));
        assertNull(records.get(0).headers().lastHeader("ce_tenantid"), "no tenant, no extension");
    }

    // As a service writes it: in a transaction that commits, or in one that fails after the write.
    private void write(OutboxEvent event, boolean commit) {
        Uni<Void> work = pool.withTransaction(conn -> conn.preparedQuery(
                        "INSERT INTO outbox_events (id, topic, event_key, event_type, tenant_id, payload, traceparent) "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(Arrays.asList(event.id, event.topic, event.key, event.type, event.tenantId,
                        new JsonObject(event.payload), event.traceparent)))
                .chain(() -> commit ? Uni.createFrom().voidItem() : Uni.createFrom().failure(new IllegalStateException("rolled back"))));
        if (commit) {
            work.await().atMost(Duration.ofSeconds(10));
        } else {
            assertThrows(IllegalStateException.class, () -> work.await().atMost(Duration.ofSeconds(10)));
        }
    }

    private Object publishedAt(UUID id) {
        return pool.preparedQuery("SELECT published_at FROM outbox_events WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getValue(0);
    }

    private List<ConsumerRecord<String, String>> recordsWithKey(String key, int expected) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> read(key).size() >= expected);
        return read(key);
    }

    private List<ConsumerRecord<String, String>> read(String key) {
        return topic.getRecords().stream().filter(r -> key.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
