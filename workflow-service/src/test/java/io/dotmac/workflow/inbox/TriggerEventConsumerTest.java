package io.dotmac.workflow.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Publishes CloudEvents to the real broker and reads what the consumer committed to PostgreSQL. */
@QuarkusTest
class TriggerEventConsumerTest {

    private static final String SOURCE = CloudEvents.SOURCE;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "kafka.group.id")
    String group;

    @Inject
    AgroalDataSource dataSource;

    KafkaCompanion companion;

    @BeforeEach
    void connect() {
        companion = new KafkaCompanion(bootstrapServers);
    }

    @AfterEach
    void close() {
        companion.close();
    }

    @Test
    void quoteAcceptedEventIsRecordedOnceThoughDeliveredTwice() throws SQLException {
        String quoteId = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String data = "{\"quote_id\":\"" + quoteId + "\",\"total_amount\":\"1200.00\",\"currency\":\"EUR\"}";

        // Same key, so all three land on one partition in this order: once the third is stored,
        // the duplicate before it has been consumed too.
        companion.produceStrings().fromRecords(
                cloudEvent("crm.quote.accepted", quoteId, first, data),
                cloudEvent("crm.quote.accepted", quoteId, first, data),
                cloudEvent("crm.quote.accepted", quoteId, second, data)).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> count(second) == 1);
        assertEquals(1, count(first), "the redelivered event was stored twice");

        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT topic, event_type, event_key, payload->>'total_amount' FROM inbox_events WHERE source = ? AND event_id = ?")) {
            s.setString(1, SOURCE);
            s.setString(2, first);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals("crm.quote.accepted", r.getString(1));
                assertEquals("io.dotmac.crm.quote.accepted", r.getString(2));
                assertEquals(quoteId, r.getString(3));
                assertEquals("1200.00", r.getString(4), "amounts stay exact decimals in the stored payload");
            }
        }
    }

    @Test
    void paymentReceivedEventIsRecorded() {
        String quoteId = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        companion.produceStrings().fromRecords(
                cloudEvent("billing.payment.received", quoteId, id, "{\"quote_id\":\"" + quoteId + "\",\"amount\":\"99.00\"}"))
                .awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> count(id) == 1);
    }

    @Test
    void recordThatIsNotJsonGoesToTheDeadLetterTopic() {
        String garbage = "not json " + UUID.randomUUID();
        var dlq = companion.consumeStrings().fromTopics(CloudEvents.onBroker("crm.quote.accepted.dlq"));
        try {
            companion.produceStrings().fromRecords(
                    cloudEvent("crm.quote.accepted", "q-bad", UUID.randomUUID().toString(), garbage))
                    .awaitCompletion(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlq.getRecords().stream().anyMatch(r -> garbage.equals(r.value())));
        } finally {
            dlq.stop();
        }
    }

    @Test
    void consumesTheTestSuitesTopicsOnlyNotThoseOfALocalSuiteOnTheSameBroker() {
        Set<String> ours = Set.of("test.crm.quote.accepted", "test.billing.payment.received", "test.billing.payment.updated",
                "test.billing.invoice.paid", "test.billing.invoice.payment_failed", "test.billing.subscription.cancelled",
                "test.sales.cart.checked_out");
        // Thirteen consumers (three channels of three, four of one) join one by one: asked until the group has settled.
        await().atMost(Duration.ofSeconds(30)).until(this::assignedTopics, ours::equals);
    }

    private Set<String> assignedTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().flatMap(m -> m.assignment().topicPartitions().stream()).map(TopicPartition::topic)
                    .collect(Collectors.toSet());
        }
    }

    private long count(String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM inbox_events WHERE source = ? AND event_id = ?")) {
            s.setString(1, SOURCE);
            s.setString(2, eventId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static ProducerRecord<String, String> cloudEvent(String topic, String key, String id, String json) {
        return CloudEvents.event(topic, key, id, "tenant-events", json);
    }
}
