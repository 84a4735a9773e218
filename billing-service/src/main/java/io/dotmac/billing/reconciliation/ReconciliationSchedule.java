package io.dotmac.billing.reconciliation;

import io.dotmac.billing.stripe.StripeGateway;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * One round of asking Stripe about what billing has heard nothing of for too long: payments
 * pending without news ({@link PaymentReconciler}), then seat changes whose answer was lost
 * ({@link SeatChangeReconciler}). Skipped without a Stripe key, and while a round still runs.
 */
@ApplicationScoped
public class ReconciliationSchedule {

    private static final Logger LOG = Logger.getLogger(ReconciliationSchedule.class);

    private final PaymentReconciler payments;
    private final SeatChangeReconciler seatChanges;
    private final StripeGateway stripe;
    private final ReconciliationConfig config;

    ReconciliationSchedule(PaymentReconciler payments, SeatChangeReconciler seatChanges, StripeGateway stripe,
                           ReconciliationConfig config) {
        this.payments = payments;
        this.seatChanges = seatChanges;
        this.stripe = stripe;
        this.config = config;
    }

    @Scheduled(every = "${billing.reconciliation.every:60s}", delayed = "${billing.reconciliation.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> round() {
        if (!stripe.configured()) {
            return Uni.createFrom().voidItem();
        }
        // Each half on its own: one that fails as a whole (its query) leaves the other to run.
        return payments.reconcile(config.after()).onFailure().recoverWithItem(e -> {
            LOG.warnf("reconciling payments failed (%s); again next round", e.getMessage());
            return 0;
        }).chain(() -> seatChanges.reconcile(config.after())).onFailure().recoverWithItem(e -> {
            LOG.warnf("reconciling seat changes failed (%s); again next round", e.getMessage());
            return 0;
        }).replaceWithVoid();
    }
}
