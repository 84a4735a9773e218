package io.dotmac.workflow.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dotmac.common.housekeeping.Housekeeping;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's inbox under the shared housekeeping: events past their retention go (handled ones never mark processed_at), deferred ones stay. */
@QuarkusTest
class InboxRetentionTest {

    @Inject
    Housekeeping housekeeping;
    @Inject
    Pool pool;

    private String event(String received, boolean deferred) {
        String id = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO inbox_events (source, event_id, topic, payload, received_at, deferred_until) "
                        + "VALUES ('/housekeeping-test', $1, 'housekeeping.test', '{}'::jsonb, now() - $2::text::interval, "
                        + "CASE WHEN $3 THEN now() + interval '1 hour' END)")
                .execute(Tuple.of(id, received, deferred)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private boolean kept(String id) {
        return pool.preparedQuery("SELECT count(*) FROM inbox_events WHERE source = '/housekeeping-test' AND event_id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1;
    }

    @Test
    void eventsPastTheRetentionAreDeletedAndDeferredOnesKept() {
        String old = event("46 days", false);
        String recent = event("44 days", false);
        String deferred = event("60 days", true);

        var deleted = housekeeping.prune().await().atMost(Duration.ofSeconds(30));

        assertTrue(deleted.get("inbox_events") >= 1, deleted.toString());
        assertEquals(List.of(false, true, true), List.of(kept(old), kept(recent), kept(deferred)));
    }

    @AfterEach
    void forgetTheTestsEvents() {
        // Not the engine's to drain: none of its topics.
        pool.query("DELETE FROM inbox_events WHERE source = '/housekeeping-test'").execute().await().atMost(Duration.ofSeconds(10));
    }
}
