package io.dotmac.common.housekeeping;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Deletes the rows every service writes only to remember what it did, once they are old enough
 * that nothing reads them again: published outbox events, Idempotency-Keys' answers, and a
 * service's own {@link PruneTarget}s (the engine's inbox). Without it they grow with every request
 * and event for as long as the service runs. In batches that skip locked rows, so that replicas
 * share the work and no round holds a table; each table at most {@link #ROUNDS} batches a round.
 *
 * <p>It also counts the outbox's backlog for the gauges {@code controlplane.outbox.backlog} (events
 * committed, not yet published) and {@code controlplane.outbox.backlog.age.seconds} (how long the
 * oldest has waited): a growing backlog is a relay that cannot reach Kafka. Every replica reports the
 * same figures: aggregate them with max. Deleted rows count in {@code controlplane.housekeeping.deleted}.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    /** Batches per table and round: a backlog of old rows is worked off over several rounds. */
    static final int ROUNDS = 20;
    private static final String BACKLOG = "SELECT count(*), min(created_at) FROM outbox_events WHERE published_at IS NULL";

    private final Pool pool;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final HousekeepingConfig config;
    private final List<PruneTarget> targets = new ArrayList<>();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong backlogAge = new AtomicLong();
    private final AtomicBoolean pruning = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();

    Housekeeping(Pool pool, Vertx vertx, MeterRegistry registry, HousekeepingConfig config, Instance<PruneTarget> own) {
        this.pool = pool;
        this.vertx = vertx;
        this.registry = registry;
        this.config = config;
        // By created_at, which its index serves: a row published long after it was written waits the longer.
        targets.add(new PruneTarget("outbox_events", """
                DELETE FROM outbox_events WHERE id IN (
                    SELECT id FROM outbox_events WHERE created_at < $1 AND published_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""",
                config.outboxRetention()));
        targets.add(new PruneTarget("idempotency_keys", """
                DELETE FROM idempotency_keys WHERE (tenant_id, idempotency_key) IN (
                    SELECT tenant_id, idempotency_key FROM idempotency_keys WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)""",
                config.idempotencyRetention()));
        own.forEach(targets::add);
        // Registered at 0 before anything is deleted: the first round's deletions count in increase() too.
        targets.forEach(target -> deleted(target).increment(0));
        Gauge.builder("controlplane.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox events committed and not yet published to Kafka, as last counted").register(registry);
        Gauge.builder("controlplane.outbox.backlog.age.seconds", backlogAge, AtomicLong::get)
                .description("How long the oldest unpublished outbox event has waited, as last counted (0: none)").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        timers.add(vertx.setPeriodic(config.backlogRefresh().toMillis(), id -> countBacklog().subscribe().with(x -> { }, failure ->
                LOG.debugf("counting the outbox's backlog failed: %s", failure.getMessage()))));
        timers.add(vertx.setPeriodic(config.every().toMillis(), id -> {
            if (pruning.compareAndSet(false, true)) {
                prune().subscribe().with(deleted -> pruning.set(false), failure -> {
                    pruning.set(false);
                    LOG.warnf("housekeeping failed (%s); it tries again in %s", failure.getMessage(), config.every());
                });
            }
        }));
    }

    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
    }

    /** One round: deletes each table's rows older than its retention; emits how many, by table. */
    public Uni<Map<String, Long>> prune() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Multi.createFrom().iterable(targets)
                .onItem().transformToUniAndConcatenate(target -> prune(target, now.minus(target.retention()), 0, 0L)
                        .map(deleted -> Map.entry(target.table(), deleted)))
                .collect().asMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum)
                .invoke(deleted -> deleted.forEach((table, count) -> {
                    if (count > 0) {
                        LOG.infof("housekeeping deleted %d row(s) of %s", count, table);
                    }
                }));
    }

    private Uni<Long> prune(PruneTarget target, OffsetDateTime before, int round, long sofar) {
        return pool.preparedQuery(target.delete()).execute(Tuple.of(before, config.batch())).chain(rows -> {
            int deleted = rows.rowCount();
            deleted(target).increment(deleted);
            return deleted < config.batch() || round + 1 >= ROUNDS ? Uni.createFrom().item(sofar + deleted)
                    : prune(target, before, round + 1, sofar + deleted);
        });
    }

    private Counter deleted(PruneTarget target) {
        return Counter.builder("controlplane.housekeeping.deleted").description("Rows deleted by housekeeping, by table")
                .tag("table", target.table()).register(registry);
    }

    /** Counts the outbox's backlog for its gauges. */
    public Uni<Void> countBacklog() {
        return pool.query(BACKLOG).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            backlog.set(row.getLong(0));
            OffsetDateTime oldest = row.getOffsetDateTime(1);
            backlogAge.set(oldest == null ? 0 : Math.max(0, OffsetDateTime.now(ZoneOffset.UTC).toEpochSecond() - oldest.toEpochSecond()));
        }).replaceWithVoid();
    }
}
