package io.dotmac.messaging;

import io.dotmac.common.config.EventTopics;
import io.dotmac.common.tracing.Traceparent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka: every event row a service committed is sent as a binary-mode
 * CloudEvent (id = the row's id, the tenant in the {@code tenantid} extension) to its topic (in the
 * suite's namespace, {@link EventTopics}), keyed by its business id, and marked published once Kafka
 * acknowledged it. Rows are taken with {@code FOR UPDATE SKIP LOCKED}, so replicas share the work, in
 * commit order; the first send that fails ends the batch so that a key's later events never overtake
 * it. A crash after sending and before marking publishes the event again, never zero times:
 * consumers de-duplicate by event id.
 * A commit of outbox rows wakes the relay at once (PostgreSQL's LISTEN/NOTIFY); the poll every
 * {@code controlplane.outbox.interval} is the fallback while it cannot listen.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    public static final String TENANT_EXTENSION = "tenantid";
    /** Notified by the trigger of R__outbox_notify.sql when outbox rows commit. */
    static final String CHANNEL = "outbox_events";
    private static final long MAX_RECONNECT_DELAY_MS = 30_000;

    private final MutinyEmitter<String> emitter;
    private final Pool pool;
    private final EventTopics topics;
    private final Vertx vertx;
    private final Duration interval;
    private final int batchSize;
    private final URI source;
    private final AtomicBoolean relaying = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** Its own connection, LISTENing for commits of outbox rows (R__outbox_notify.sql). */
    private final PgSubscriber subscriber;
    private long timer = -1;
    private volatile boolean listening;
    private volatile boolean stopped;

    OutboxRelay(@Channel("outbox") MutinyEmitter<String> emitter, Pool pool, EventTopics topics, Vertx vertx,
                @ConfigProperty(name = "controlplane.outbox.interval") Duration interval,
                @ConfigProperty(name = "controlplane.outbox.batch-size") int batchSize,
                @ConfigProperty(name = "quarkus.application.name") String application,
                @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
                @ConfigProperty(name = "quarkus.datasource.username") String user,
                @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.emitter = emitter;
        this.pool = pool;
        this.topics = topics;
        this.vertx = vertx;
        this.interval = interval;
        this.batchSize = batchSize;
        this.source = URI.create("/" + application);
        PgConnectOptions options = PgConnectOptions.fromUri(databaseUrl).setUser(user);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> relayNow());
        subscriber.reconnectPolicy(retries -> reconnectDelay(retries + 1));
        subscriber.channel(CHANNEL).handler(ignored -> relayNow());
        listen(1);
    }

    // The subscriber's reconnect policy covers a connection lost once made; this covers the first.
    private void listen(int attempt) {
        if (stopped) {
            return;
        }
        subscriber.connect().subscribe().with(connected -> {
            listening = true;
            LOG.debugf("outbox relay listening on %s", CHANNEL);
            // A commit before the LISTEN was not announced.
            relayNow();
        }, failure -> {
            long delay = reconnectDelay(attempt);
            LOG.warnf("outbox relay cannot listen for commits (%s); publishing every %s, listening again in %d ms",
                    failure.getMessage(), interval, delay);
            vertx.setTimer(delay, id -> listen(attempt + 1));
        });
    }

    // Longer after each failed attempt, up to a bound: the same for the first connection and a lost one.
    private long reconnectDelay(int attempt) {
        return Math.min(interval.toMillis() * attempt, MAX_RECONNECT_DELAY_MS);
    }

    /** Whether commits wake the relay now (else only its poll does). */
    public boolean listening() {
        return listening && !subscriber.closed();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(timer);
        subscriber.closeAndAwait();
    }

    /**
     * Relays now, or once more after the batch under way: a commit notified while a batch is read may
     * not be in it. A full batch means more are waiting.
     */
    private void relayNow() {
        // Asked first, then tried: a batch that ends meanwhile clears `relaying` before it reads the request.
        again.set(true);
        if (!relaying.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        relay().subscribe().with(sent -> {
            relaying.set(false);
            if (sent == batchSize || again.get()) {
                relayNow();
            }
        }, failure -> {
            relaying.set(false);
            LOG.warnf("outbox relay failed, trying again in %s: %s", interval, failure.getMessage());
        });
    }

    /** Publishes what is waiting, one batch; emits how many events it published. */
    public Uni<Integer> relay() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT id, topic, event_key, event_type, tenant_id, payload::text, created_at, traceparent FROM outbox_events
                        WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(batchSize))
                .chain(rows -> publish(conn, rows.iterator(), 0)));
    }

    private Uni<Integer> publish(SqlConnection conn, Iterator<Row> rows, int sent) {
        if (!rows.hasNext()) {
            return Uni.createFrom().item(sent);
        }
        Row row = rows.next();
        UUID id = row.getUUID("id");
        return emitter.sendMessage(toMessage(row))
                .chain(() -> conn.preparedQuery("UPDATE outbox_events SET published_at = now(), attempts = attempts + 1 WHERE id = $1")
                        .execute(Tuple.of(id)))
                .chain(() -> publish(conn, rows, sent + 1))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("could not publish event %s to %s, will retry: %s", id, row.getString("topic"), failure.getMessage());
                    return conn.preparedQuery("UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = $1")
                            .execute(Tuple.of(id, String.valueOf(failure.getMessage()))).replaceWith(sent);
                });
    }

    private Message<String> toMessage(Row row) {
        String key = row.getString("event_key");
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(row.getUUID("id").toString())
                .withType(row.getString("event_type"))
                .withSource(source)
                .withSubject(key)
                .withTimestamp(row.getOffsetDateTime("created_at").toZonedDateTime());
        String tenant = row.getString("tenant_id");
        if (tenant != null) {
            cloudEvent.withExtension(TENANT_EXTENSION, tenant);
        }
        Message<String> message = Message.of(row.getString("payload"))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key)
                        .withTopic(topics.onBroker(row.getString("topic"))).build());
        // The trace the event was written in goes on with it: as its CloudEvents extension, and as
        // the parent of the Kafka producer's span (whose traceparent header the consumers' spans continue).
        String traceparent = Traceparent.valid(row.getString("traceparent"));
        if (traceparent != null) {
            cloudEvent.withExtension(Traceparent.CLOUD_EVENT_EXTENSION, traceparent);
            message = message.addMetadata(TracingMetadata.withCurrent(Traceparent.parentContext(traceparent)));
        }
        return message.addMetadata(cloudEvent.build());
    }
}
