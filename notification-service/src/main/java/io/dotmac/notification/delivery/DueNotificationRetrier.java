package io.dotmac.notification.delivery;

import io.dotmac.notification.config.NotificationConfig;
import io.dotmac.notification.notification.NotificationService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The background sender: every poll interval it makes the next attempt of each queued
 * notification that is due (a retry after its backoff, or a first attempt the request that queued
 * it did not make), one after the other. Each attempt claims its notification first, so replicas
 * share the work.
 */
@ApplicationScoped
public class DueNotificationRetrier {

    private static final Logger LOG = Logger.getLogger(DueNotificationRetrier.class);

    private final NotificationService notifications;
    private final NotificationSender sender;
    private final int batchSize;
    private final Duration firstAttemptGrace;

    DueNotificationRetrier(NotificationService notifications, NotificationSender sender, NotificationConfig config) {
        this.notifications = notifications;
        this.sender = sender;
        this.batchSize = config.delivery().batchSize();
        this.firstAttemptGrace = config.delivery().firstAttemptGrace();
    }

    @Scheduled(identity = "notification-retrier", every = "${notification.delivery.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sendDue() {
        return notifications.due(batchSize, firstAttemptGrace)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                // One notification whose attempt breaks (the database, say) must not hold up the others.
                .onItem().transformToUniAndConcatenate(id -> sender.attempt(id).onFailure().recoverWithItem(failure -> {
                    LOG.errorf("attempt of notification %s could not be made: %s", id, failure.getMessage());
                    return null;
                }))
                .collect().last().replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("looking for due notifications failed, trying again next round: %s", failure.getMessage());
                    return null;
                });
    }
}
