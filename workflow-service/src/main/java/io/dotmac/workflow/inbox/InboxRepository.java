package io.dotmac.workflow.inbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes inbox rows with the reactive PostgreSQL client: an insert that does nothing on a
 * duplicate is one statement, where an entity would need a read and a write.
 */
@ApplicationScoped
public class InboxRepository {

    private static final String INSERT = """
            INSERT INTO inbox_events (source, event_id, topic, event_type, event_key, event_time, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (source, event_id) DO NOTHING""";

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
                .addJsonObject(event.payload());
        return pool.preparedQuery(INSERT).execute(row).map(result -> result.rowCount() == 1);
    }
}
