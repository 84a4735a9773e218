package io.dotmac.workflow.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes inbox rows with the reactive PostgreSQL client: an insert that does nothing on a
 * duplicate is one statement, where an entity would need a read and a write.
 */
@ApplicationScoped
public class InboxRepository {

    private static final String INSERT = """
            INSERT INTO inbox_events (source, event_id, topic, event_type, event_key, event_time, payload, tenant_id, traceparent)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (source, event_id) DO NOTHING""";

    private static final String DEFER = """
            UPDATE inbox_events SET deferred_until = now() + $3 * interval '1 millisecond'
             WHERE source = $1 AND event_id = $2""";

    private static final String DONE = """
            UPDATE inbox_events SET deferred_until = NULL, processed_at = now() WHERE source = $1 AND event_id = $2""";

    // Taken for a while (pushed back), so that other instances draining at the same time skip them.
    // A few of each tenant's at a time, so that one tenant's backlog does not hold up another's event.
    private static final String TAKE_DEFERRED = """
            UPDATE inbox_events i SET deferred_until = now() + $2 * interval '1 millisecond'
              FROM (SELECT source, event_id FROM (
                        SELECT source, event_id, deferred_until,
                               row_number() OVER (PARTITION BY tenant_id ORDER BY deferred_until) AS turn
                          FROM inbox_events WHERE deferred_until <= now()) d
                     WHERE turn <= $3 ORDER BY deferred_until LIMIT $1) due
             WHERE i.source = due.source AND i.event_id = due.event_id AND i.deferred_until <= now()
            RETURNING i.source, i.event_id, i.topic, i.event_type, i.event_key, i.event_time, i.tenant_id, i.payload, i.traceparent""";

    // Bounded: a header is whatever a producer wrote.
    private static final String DEAD_LETTERED = """
            INSERT INTO inbox_dead_letters (topic, tenant_id, event_id, reason) VALUES (left($1, 200), left($2, 200), left($3, 200), left($4, 1000))""";

    private final Pool pool;

    public InboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records the event; emits true if it is new, false if it had been received before. */
    public Uni<Boolean> insertIfAbsent(InboxEvent event) {
        Tuple row = Tuple.tuple()
                .addString(event.source())
                .addString(event.id())
                .addString(event.topic())
                .addString(event.type())
                .addString(event.key())
                .addOffsetDateTime(event.time())
                .addJsonObject(event.payload())
                .addString(event.tenant())
                .addString(event.traceparent());
        return pool.preparedQuery(INSERT).execute(row).map(result -> result.rowCount() == 1);
    }

    /** An event sent to its dead-letter topic, counted under the tenant it named (null: none). */
    public Uni<Void> deadLettered(String topic, String tenant, String eventId, String reason) {
        return pool.preparedQuery(DEAD_LETTERED).execute(Tuple.of(topic, tenant, eventId, reason)).replaceWithVoid();
    }

    /** Leaves the event for {@link InboxDrainer}, due again after {@code delay}. */
    public Uni<Void> defer(InboxEvent event, Duration delay) {
        return pool.preparedQuery(DEFER).execute(Tuple.of(event.source(), event.id(), delay.toMillis())).replaceWithVoid();
    }

    /** The deferred event has been handled. */
    public Uni<Void> done(InboxEvent event) {
        return pool.preparedQuery(DONE).execute(Tuple.of(event.source(), event.id())).replaceWithVoid();
    }

    /**
     * Up to {@code limit} deferred events that are due, at most {@code perTenant} of a tenant, each
     * held back by {@code hold} from other drainers (the update re-checks it is still due, so two
     * drainers never take the same one).
     */
    public Uni<List<InboxEvent>> takeDeferred(int limit, int perTenant, Duration hold) {
        return pool.preparedQuery(TAKE_DEFERRED).execute(Tuple.of(limit, hold.toMillis(), perTenant)).map(rows -> {
            List<InboxEvent> events = new ArrayList<>();
            for (Row row : rows) {
                events.add(new InboxEvent(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4), row.getOffsetDateTime(5), row.getString(6), (JsonObject) row.getValue(7),
                        row.getString(8)));
            }
            return events;
        });
    }
}
