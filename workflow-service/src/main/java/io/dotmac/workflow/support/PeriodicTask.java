package io.dotmac.workflow.support;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Work run every so often on a Vert.x timer, one run at a time: a run still going when the next is
 * due is not doubled, and a failed run is logged and tried again at the next.
 */
public final class PeriodicTask {

    private static final Logger LOG = Logger.getLogger(PeriodicTask.class);

    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final long timer;

    private PeriodicTask(Vertx vertx, Duration interval, String what, Supplier<Uni<?>> work) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                Uni.createFrom().deferred(work).subscribe().with(done -> running.set(false), failure -> {
                    running.set(false);
                    LOG.warnf("%s failed, trying again in %s: %s", what, interval, failure.getMessage());
                });
            }
        });
    }

    public static PeriodicTask every(Vertx vertx, Duration interval, String what, Supplier<Uni<?>> work) {
        return new PeriodicTask(vertx, interval, what, work);
    }

    public void cancel() {
        vertx.cancelTimer(timer);
    }
}
