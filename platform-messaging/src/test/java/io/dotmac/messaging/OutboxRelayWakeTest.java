package io.dotmac.messaging;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A commit of outbox rows wakes the relay (R__outbox_notify.sql, LISTEN/NOTIFY): with its poll an
 * hour apart, what is committed is still published at once, and a burst larger than one batch is
 * published whole.
 */
@QuarkusTest
@TestProfile(OutboxRelayWakeTest.PollAnHourApart.class)
class OutboxRelayWakeTest {

    public static class PollAnHourApart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("controlplane.outbox.interval", "1h", "controlplane.outbox.batch-size", "10");
        }
    }

    private static final String TOPIC = "platform.test.outbox";

    @Inject
    Pool pool;

    @Inject
    OutboxRelay relay;

    @BeforeEach
    void listening() {
        // The LISTEN connects after the start; a commit before it would only be seen by the poll (in an hour).
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::listening);
    }

    @Test
    void aCommitWakesTheRelayWithoutWaitingForItsPoll() {
        UUID id = insert(1).iterator().next();

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> publishedAt(id) != null);
    }

    @Test
    void aBurstOfMoreThanOneBatchIsPublishedWhole() {
        List<UUID> ids = insert(35);

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> ids.stream().allMatch(id -> publishedAt(id) != null));
        assertNotNull(publishedAt(ids.get(ids.size() - 1)));
    }

    // In one transaction, as a service writes them.
    private List<UUID> insert(int n) {
        List<UUID> ids = Stream.generate(UUID::randomUUID).limit(n).toList();
        String key = "wake-" + UUID.randomUUID();
        pool.withTransaction(conn -> conn.preparedQuery(
                        "INSERT INTO outbox_events (id, topic, event_key, event_type, payload) VALUES ($1, $2, $3, $4, '{}'::jsonb)")
                .executeBatch(ids.stream().map(id -> Tuple.of(id, TOPIC, key, "platform.test.woken")).toList()))
                .await().atMost(Duration.ofSeconds(10));
        return ids;
    }

    private Object publishedAt(UUID id) {
        return pool.preparedQuery("SELECT published_at FROM outbox_events WHERE id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next().getValue(0);
    }
}
