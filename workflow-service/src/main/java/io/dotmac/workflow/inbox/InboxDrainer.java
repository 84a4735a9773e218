package io.dotmac.workflow.inbox;

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
import org.jboss.logging.Logger;

/**
 * Handles again the events that waited in the inbox for their tenant's start quota
 * ({@link EventDeferredException}), oldest due first; one still beyond the quota waits again.
 * Each replica drains; a row taken by one is pushed back for the others.
 */
@ApplicationScoped
public class InboxDrainer {

    private static final Logger LOG = Logger.getLogger(InboxDrainer.class);
    private static final int BATCH = 100;
    private static final int PER_TENANT = 10;
    /** How long a taken event is held back from other drainers; far more than handling it takes. */
    private static final Duration HOLD = Duration.ofSeconds(60);

    private final InboxRepository inbox;
    private final EventTriggers triggers;
    private final Vertx vertx;
    private final Duration every;
    private PeriodicTask task;

    InboxDrainer(InboxRepository inbox, EventTriggers triggers, Vertx vertx, EngineConfig config) {
        this.inbox = inbox;
        this.triggers = triggers;
        this.vertx = vertx;
        this.every = config.inbox().drainEvery();
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicTask.every(vertx, every, "draining deferred events", this::drain);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.cancel();
        }
    }

    Uni<Void> drain() {
        return inbox.takeDeferred(BATCH, PER_TENANT, HOLD)
                .onItem().transformToMulti(events -> Multi.createFrom().iterable(events))
                .onItem().transformToUniAndConcatenate(this::handle)
                .collect().last().replaceWithVoid();
    }

    // Each event on its own: one that fails leaves the others be, and is taken again after HOLD.
    private Uni<Void> handle(InboxEvent event) {
        return triggers.handle(event, false)
                .chain(() -> inbox.done(event))
                .invoke(() -> LOG.infof("deferred event %s on %s handled", event.id(), event.topic()))
                .onFailure(EventDeferredException.class)
                .recoverWithUni(deferred -> inbox.defer(event, ((EventDeferredException) deferred).retryAfter()))
                .onFailure(EventTriggers::isPermanent).recoverWithUni(failure -> {
                    // Acknowledged already: there is no dead-letter topic to send it to, so the log says it.
                    LOG.errorf("deferred event %s on %s cannot be handled, left in the inbox: %s", event.id(), event.topic(),
                            failure.getMessage());
                    return inbox.done(event);
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("deferred event %s on %s not handled yet, trying again in %s: %s", event.id(), event.topic(),
                            HOLD, failure.getMessage());
                    return null;
                });
    }
}
