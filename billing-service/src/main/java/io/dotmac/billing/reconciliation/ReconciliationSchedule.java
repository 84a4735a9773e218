package io.dotmac.billing.reconciliation;

import io.dotmac.billing.stripe.StripeGateway;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One round of asking Stripe about what billing has heard nothing of for too long: payments
 * pending without news ({@link PaymentReconciler}), then seat changes whose answer was lost
 * ({@link SeatChangeReconciler}). Skipped without a Stripe key, and while a round still runs.
 */
@ApplicationScoped
public class ReconciliationSchedule {

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
        return payments.reconcile(config.after()).chain(() -> seatChanges.reconcile(config.after())).replaceWithVoid();
    }
}
