package io.dotmac.workflow.metrics;

import io.dotmac.workflow.config.EngineConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The gauge {@code workflow.executions.waiting} by workflow: executions WAITING (for a condition,
 * an event, a customer) as the database has them, counted on a timer rather than on each scrape
 * or each transition (one grouped COUNT on the status index). A waiting execution belongs to no
 * instance, so every instance reports the same count: aggregate it with max, not sum. A workflow
 * that had waiting executions reports 0 once it has none, rather than vanishing. Workflow names are
 * folded by {@link BoundedTags}: the workflows beyond its bound are counted together as "other".
 */
@ApplicationScoped
public class WaitingExecutions {

    private static final Logger LOG = Logger.getLogger(WaitingExecutions.class);
    private static final String COUNT = """
            SELECT workflow_name, count(*) FROM workflow_executions WHERE status = 'waiting' GROUP BY workflow_name""";

    private final Pool pool;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final BoundedTags tags;
    private final long refreshMs;
    private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long timer = -1;

    WaitingExecutions(Pool pool, Vertx vertx, MeterRegistry registry, BoundedTags tags, EngineConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.registry = registry;
        this.tags = tags;
        this.refreshMs = Math.max(100, config.metrics().waitingRefresh().toMillis());
    }

    void start(@Observes StartupEvent event) {
        refresh();
        timer = vertx.setPeriodic(refreshMs, id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        pool.query(COUNT).execute().subscribe().with(
                rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    for (Row row : rows) {
                        counts.merge(tags.fold("workflow", row.getString(0)), row.getLong(1), Long::sum);
                    }
                    waiting.forEach((workflow, count) -> count.set(counts.getOrDefault(workflow, 0L)));
                    counts.forEach((workflow, count) -> gauge(workflow).set(count));
                    refreshing.set(false);
                },
                failure -> {
                    refreshing.set(false);
                    // The last counts stay; the next refresh tries again.
                    LOG.debugf("counting waiting executions failed: %s", failure.getMessage());
                });
    }

    // Registered once per workflow, so that the registry never sees the same gauge twice.
    private AtomicLong gauge(String workflow) {
        return waiting.computeIfAbsent(workflow, name -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder("workflow.executions.waiting", count, AtomicLong::get)
                    .description("Executions waiting (for a condition, an event), as last counted in the database")
                    .tag("workflow", name)
                    .strongReference(true)
                    .register(registry);
            return count;
        });
    }
}
