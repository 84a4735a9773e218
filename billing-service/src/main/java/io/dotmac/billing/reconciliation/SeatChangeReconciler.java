package io.dotmac.billing.reconciliation;

import io.dotmac.billing.subscription.SeatChanges;
import io.dotmac.billing.subscription.SubscriptionChangeRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Settles the seat changes left pending: one whose answer from Stripe was lost (billing stopped, or
 * the caller gave up) would otherwise block every later change of its subscription. Each is asked
 * of Stripe again with its own Idempotency-Key ({@link SeatChanges#redrive}) by
 * {@link ReconciliationSchedule}, after the payments' quiet time; a failure leaves it for the next round.
 */
@ApplicationScoped
public class SeatChangeReconciler {

    private static final Logger LOG = Logger.getLogger(SeatChangeReconciler.class);

    private final SubscriptionChangeRepository changes;
    private final SeatChanges seatChanges;
    private final ReconciliationConfig config;

    SeatChangeReconciler(SubscriptionChangeRepository changes, SeatChanges seatChanges, ReconciliationConfig config) {
        this.changes = changes;
        this.seatChanges = seatChanges;
        this.config = config;
    }

    /** Asks Stripe again about the changes pending for longer than {@code after}; emits how many are settled now. */
    public Uni<Integer> reconcile(Duration after) {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(after);
        return stale(before)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> seatChanges.redrive(id, before).onFailure().recoverWithItem(e -> {
                    LOG.warnf("seat change %s: asking Stripe again failed (%s); asked again after the interval", id, e.getMessage());
                    return false;
                }))
                .collect().asList()
                .map(settled -> (int) settled.stream().filter(Boolean::booleanValue).count());
    }

    @WithSession
    Uni<List<UUID>> stale(OffsetDateTime before) {
        return changes.stalePending(before, config.batch());
    }
}
