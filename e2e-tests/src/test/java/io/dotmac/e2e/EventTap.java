package io.dotmac.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The test's own view of the event topics (named by their events; on the broker, the suite's
 * {@code e2e.*} topics): a consumer in a group of its own, committed at the topics' ends when the tap opens (so it reads only what is published afterwards), that keeps every
 * record it reads; and a producer that puts a record back on its topic byte for byte, as a broker's
 * or a relay's redelivery would.
 */
final class EventTap implements AutoCloseable {

    private final String bootstrapServers;
    private final String group;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    private EventTap(String bootstrapServers, String group, List<String> events) {
        this.bootstrapServers = bootstrapServers;
        this.group = group;
        List<String> topics = events.stream().map(Suite::onBroker).toList();
        KafkaGroups.startAtEnd(bootstrapServers, group, topics);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // Assigned rather than subscribed: no group rebalance to wait for; positions start at the
        // offsets committed above.
        consumer.assign(topics.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))).toList());
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A tap on the topics of {@code events} from now on, in the group {@code e2e-tap-<purpose>-<run>}. */
    static EventTap open(Suite suite, String purpose, List<String> events) {
        return new EventTap(suite.kafkaBootstrapServers(), "e2e-tap-" + purpose + "-" + suite.runId(), events);
    }

    /** The first record on {@code topic} with the key {@code key}, waiting for it up to {@code timeout}. */
    ConsumerRecord<byte[], byte[]> awaitRecord(String topic, String key, Duration timeout) {
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> records(topic, key),
                    found -> !found.isEmpty()).get(0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no record with key " + key + " on " + topic + " within " + timeout.toSeconds() + " s", e);
        }
    }

    /** Every record with the key {@code key} read from {@code topic} so far, reading what has arrived meanwhile. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic, String key) {
        consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
        return seen.stream().filter(r -> r.topic().equals(Suite.onBroker(topic)) && key.equals(key(r))).toList();
    }

    /** Publishes {@code record} again: the same topic, partition, timestamp, key, value and headers. */
    RecordMetadata republish(ConsumerRecord<byte[], byte[]> record) {
        return send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                record.value(), record.headers()));
    }

    /**
     * Publishes an event of the test's own making, in binary CloudEvents mode as the services' relays
     * write them: what anyone who can write to the broker could send.
     */
    RecordMetadata forge(String topic, String key, String tenant, String json) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Suite.onBroker(topic), bytes(key), bytes(json));
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_source", bytes("/e2e/forged"))
                .add("ce_type", bytes("io.dotmac." + topic))
                .add("ce_tenantid", bytes(tenant))
                .add("content-type", bytes("application/json"));
        return send(record);
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish a record to " + record.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Waits until {@code consumerGroup} has committed an offset past {@code published}: its consumer
     * has processed that record (the workflow-service acknowledges an event only once its effects are
     * committed).
     */
    void awaitConsumed(String consumerGroup, RecordMetadata published, Duration timeout) {
        awaitConsumed(consumerGroup, new TopicPartition(published.topic(), published.partition()), published.offset(), timeout);
    }

    /** The same for a record the tap read (one a service published). */
    void awaitConsumed(String consumerGroup, ConsumerRecord<byte[], byte[]> record, Duration timeout) {
        awaitConsumed(consumerGroup, new TopicPartition(record.topic(), record.partition()), record.offset(), timeout);
    }

    private void awaitConsumed(String consumerGroup, TopicPartition partition, long offset, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(consumerGroup).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).get(partition);
                return committed != null && committed.offset() > offset;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(consumerGroup + " has not committed past " + partition + "@" + offset
                    + " within " + timeout.toSeconds() + " s", e);
        }
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** The last value of a header, as text; null if absent. */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
        KafkaGroups.delete(bootstrapServers, group);
    }
}
