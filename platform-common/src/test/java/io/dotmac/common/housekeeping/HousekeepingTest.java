package io.dotmac.common.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Housekeeping against the real database: what it deletes, what it keeps, and the outbox's backlog as gauges. */
@QuarkusTest
class HousekeepingTest {

    @Inject
    Housekeeping housekeeping;
    @Inject
    Pool pool;
    @Inject
    MeterRegistry registry;

    private UUID outbox(String published, String created) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO outbox_events (id, topic, event_key, event_type, payload, created_at, published_at) "
                        + "VALUES ($1, 'housekeeping.test', 'k', 'housekeeping.test', '{}'::jsonb, now() - $2::text::interval, "
                        + "CASE WHEN $3::text IS NULL THEN NULL ELSE now() - $3::text::interval END)")
                .execute(Tuple.of(id, created, published)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private String key(String created, boolean completed) {
        String key = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_method, request_path, request_hash, "
                        + "response_status, created_at, completed_at) VALUES ('housekeeping', $1, 'POST', '/x', 'h', $2, "
                        + "now() - $3::text::interval, CASE WHEN $2::int IS NULL THEN NULL ELSE now() END)")
                .execute(Tuple.of(key, completed ? 201 : null, created)).await().atMost(Duration.ofSeconds(10));
        return key;
    }

    private boolean outboxHas(UUID id) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_events WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1;
    }

    private boolean keysHave(String key) {
        return pool.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1").execute(Tuple.of(key))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1;
    }

    @Test
    void publishedEventsAndAnswersPastTheirRetentionAreDeletedAndNothingElse() {
        UUID oldPublished = outbox("8 days", "9 days");
        UUID recentPublished = outbox("6 days", "6 days");
        UUID oldUnpublished = outbox(null, "9 days");
        String oldKey = key("31 days", true);
        String oldInFlight = key("31 days", false);
        String recentKey = key("29 days", true);

        var deleted = housekeeping.prune().await().atMost(Duration.ofSeconds(30));

        assertTrue(deleted.get("outbox_events") >= 1 && deleted.get("idempotency_keys") >= 2, deleted.toString());
        assertEquals(List.of(false, true, true), List.of(outboxHas(oldPublished), outboxHas(recentPublished), outboxHas(oldUnpublished)),
                "published 8 days ago deleted; published 6 days ago and never published kept");
        // An answer a month old is no longer replayed; a request that never finished is forgotten as well.
        assertEquals(List.of(false, false, true), List.of(keysHave(oldKey), keysHave(oldInFlight), keysHave(recentKey)));
        assertTrue(registry.find("controlplane.housekeeping.deleted").tag("table", "outbox_events").counter().count() >= 1);
    }

    @Test
    void theOutboxBacklogIsCountedWithTheAgeOfItsOldestEvent() {
        UUID waiting = outbox(null, "2 hours");
        housekeeping.countBacklog().await().atMost(Duration.ofSeconds(10));
        assertTrue(registry.get("controlplane.outbox.backlog").gauge().value() >= 1);
        assertTrue(registry.get("controlplane.outbox.backlog.age.seconds").gauge().value() >= 7200);
        pool.preparedQuery("UPDATE outbox_events SET published_at = now() WHERE id = $1").execute(Tuple.of(waiting))
                .await().atMost(Duration.ofSeconds(10));
    }
}
