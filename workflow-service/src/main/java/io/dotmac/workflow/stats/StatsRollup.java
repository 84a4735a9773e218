package io.dotmac.workflow.stats;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.support.PeriodicTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Rolls up each hour once it has closed, so that the overview reads a month from the rollups
 * rather than from a million executions. Every replica tries; the one holding the cursor does it,
 * an hour per transaction, up to {@value #HOURS_PER_RUN} hours a run (a first start catches up on
 * the backfill over a few runs, meanwhile the overview reads those hours live).
 */
@ApplicationScoped
public class StatsRollup {

    private static final Logger LOG = Logger.getLogger(StatsRollup.class);

    static final int HOURS_PER_RUN = 168;

    private final StatsQueries queries;
    private final Vertx vertx;
    private final EngineConfig.Stats config;
    private PeriodicTask task;

    StatsRollup(StatsQueries queries, Vertx vertx, EngineConfig config) {
        this.queries = queries;
        this.vertx = vertx;
        this.config = config.stats();
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicTask.every(vertx, config.rollupEvery(), "stats rollup", this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.cancel();
        }
    }

    /** Rolls up the closed hours not rolled up yet (up to {@value #HOURS_PER_RUN}); emits how many. */
    public Uni<Integer> run() {
        return Multi.createBy().repeating().uni(() -> queries.rollUpNextHour(config.rollupAfter(), config.backfill()))
                .until(Optional::isEmpty)
                .select().first(HOURS_PER_RUN)
                .collect().asList()
                .invoke(hours -> {
                    if (!hours.isEmpty()) {
                        LOG.infof("stats: %d hours rolled up, up to %s", hours.size(), hours.get(hours.size() - 1).get().plusHours(1));
                    }
                })
                .map(List::size);
    }
}
