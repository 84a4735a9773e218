package io.dotmac.billing.reconciliation;

import io.dotmac.billing.payment.PaymentRepository;
import io.dotmac.billing.payment.PaymentService;
import io.dotmac.billing.payment.PaymentStatus;
import io.dotmac.billing.payment.StripeIds;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.billing.webhook.StripeWebhooks;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Asks Stripe about every payment that has been pending too long, so that a lost webhook never
 * strands a paid customer: Stripe's answer is recorded as a webhook's would be (a success writes
 * {@code billing.payment.received} through the outbox, once; a Checkout Session that closed unpaid
 * fails it, "payment not received"). A payment for which Stripe never
 * answered (the request died before its PaymentIntent was recorded) is sent to Stripe again with
 * its own Idempotency-Keys, which makes Stripe answer with the PaymentIntent it may already have.
 *
 * <p>Each payment is locked and checked again before Stripe is asked, so replicas that run the job
 * at the same time ask about it once; a failure leaves it for the next round.
 */
@ApplicationScoped
public class PaymentReconciler {

    private static final Logger LOG = Logger.getLogger(PaymentReconciler.class);

    private final PaymentRepository payments;
    private final PaymentService paymentService;
    private final StripeGateway stripe;
    private final ReconciliationConfig config;

    PaymentReconciler(PaymentRepository payments, PaymentService paymentService, StripeGateway stripe,
                      ReconciliationConfig config) {
        this.payments = payments;
        this.paymentService = paymentService;
        this.stripe = stripe;
        this.config = config;
    }

    /** Asks Stripe about the payments pending, without news, for longer than {@code after}; emits how many changed. */
    public Uni<Integer> reconcile(Duration after) {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(after);
        return payments.stalePending(before, config.batch())
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> reconcileOne(id, before)
                        .onFailure().recoverWithUni(e -> {
                            LOG.warnf("payment %s: asking Stripe about it failed (%s); asked again after the interval", id,
                                    e.getMessage());
                            // Recorded apart from the failed attempt, so that a payment that keeps failing waits
                            // its turn like the others instead of taking every round's batch.
                            return Panache.withTransaction(() -> payments.lockById(id)
                                    .invoke(payment -> payment.reconciledAt = OffsetDateTime.now(ZoneOffset.UTC)))
                                    .replaceWith(false).onFailure().recoverWithItem(false);
                        }))
                .collect().asList()
                .map(changed -> (int) changed.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> reconcileOne(UUID id, OffsetDateTime before) {
        return Panache.withTransaction(() -> payments.lockById(id).chain(payment -> {
            if (payment == null || payment.status != PaymentStatus.PENDING || payment.lastNews().isAfter(before)) {
                return Uni.createFrom().item(false); // another replica asked, or a webhook came, meanwhile
            }
            if (payment.awaitsStripe()) {
                LOG.infof("payment %s for quote %s has no answer from Stripe yet: sending it again with its own keys",
                        payment.id, payment.quoteId);
                return paymentService.process(payment.tenantId, payment.id)
                        .map(processed -> processed.payment().status != PaymentStatus.PENDING);
            }
            // On the hosted page a declined attempt is not the end: only the session says paid or closed.
            if (payment.checkoutSessionId != null) {
                return stripe.checkoutSession(payment.id, payment.checkoutSessionId).chain(session -> {
                    payment.reconciledAt = OffsetDateTime.now(ZoneOffset.UTC);
                    LOG.infof("payment %s for quote %s pending since %s: its Checkout Session is %s (%s)", payment.id,
                            payment.quoteId, payment.updatedAt, session.status(), session.paymentStatus());
                    PaymentStatus reported = session.paid() ? PaymentStatus.SUCCEEDED : session.expired() ? PaymentStatus.FAILED : null;
                    // A subscription's first invoice names the PaymentIntent that paid it, as the webhook records it.
                    return stripe.paidBy(payment.id, session.paymentIntentId(), session.invoiceId())
                            .chain(intent -> paymentService.recordFromStripe(payment, new StripeIds(intent, session.customerId(),
                                    session.subscriptionId(), session.invoiceId()), reported,
                                    session.expired() ? StripeWebhooks.SESSION_EXPIRED : null))
                            .map(recorded -> recorded.status != PaymentStatus.PENDING);
                });
            }
            return stripe.paymentIntent(payment.id, payment.stripePaymentIntentId).chain(intent -> {
                PaymentStatus reported = PaymentStatus.fromStripe(intent.status(), intent.attemptFailed());
                payment.reconciledAt = OffsetDateTime.now(ZoneOffset.UTC);
                LOG.infof("payment %s for quote %s pending since %s: Stripe says %s", payment.id, payment.quoteId,
                        payment.updatedAt, intent.status());
                return paymentService.recordFromStripe(payment, StripeIds.ofIntent(intent.paymentIntentId(), intent.customerId()),
                        reported == PaymentStatus.PENDING ? null : reported, intent.failureMessage())
                        .map(recorded -> recorded.status != PaymentStatus.PENDING);
            });
        }));
    }
}
