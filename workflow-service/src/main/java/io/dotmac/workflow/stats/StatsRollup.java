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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Rolls up the hours as they close, so that the overview reads a month from the rollups rather
 * than from a million executions. Every replica tries; the one holding the cursor does it, a week
 * of hours at most per transaction (a first start catches up on the backfill in a few; meanwhile
 * the overview reads those hours live), the last {@link #AGAIN} once more for what came in late.
 */
@ApplicationScoped
public class StatsRollup {

    private static final Logger LOG = Logger.getLogger(StatsRollup.class);

    static final Duration AGAIN = Duration.ofHours(2);
    static final Duration MOST = Duration.ofDays(7);
    /** Transactions a run takes at most: more than the backfill needs. */
    static final int ROUNDS = 8;

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

    /** Rolls up what has closed since the last run; emits how many transactions it took (0: nothing had closed). */
    public Uni<Integer> run() {
        return Multi.createBy().repeating().uni(() -> queries.rollUp(config.rollupAfter(), AGAIN, MOST, config.backfill()))
                .until(Optional::isEmpty)
                .select().first(ROUNDS)
                .collect().asList()
                .invoke(rounds -> {
                    if (!rounds.isEmpty()) {
                        LOG.debugf("stats rolled up to %s", rounds.get(rounds.size() - 1).get());
                    }
                })
                .map(List::size);
    }
}
