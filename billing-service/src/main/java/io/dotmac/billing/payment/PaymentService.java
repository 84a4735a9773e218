package io.dotmac.billing.payment;

import io.dotmac.billing.stripe.ChargeRequest;
import io.dotmac.billing.stripe.RefundRequest;
import io.dotmac.billing.stripe.StripeConfig;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.common.outbox.OutboxEventRepository;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Taking a payment for a quote through Stripe, and recording what Stripe reports about it.
 *
 * <p>Why two steps, so that a payment is never charged twice and never lost:
 * <ol>
 *   <li>{@link #reserve} commits a pending payment in a transaction of its own before Stripe is
 *       called: one per quote and tenant (a unique constraint; a concurrent request waits for the
 *       first insert and finds it). The row fixes the prefix of the Idempotency-Keys sent to
 *       Stripe (the caller's Idempotency-Key and the payment id), and the PaymentIntent's metadata
 *       names the payment.</li>
 *   <li>{@link #process} runs in the request's transaction (the Idempotency-Key's): it locks the
 *       payment row, so requests for one quote call Stripe one at a time, calls Stripe on a worker
 *       thread only if the payment has no answer from Stripe yet, and records the answer (and the
 *       {@code billing.payment.updated} outbox row, and {@code billing.payment.received} when it succeeded)
 *       in that transaction.</li>
 * </ol>
 * If Stripe fails, or the process dies, after step 1 the payment stays pending with no
 * PaymentIntent: the next request for the quote, whatever its own Idempotency-Key, calls Stripe
 * again with the same keys, and Stripe answers with the PaymentIntent it may already have made
 * instead of charging again; meanwhile Stripe's webhook finds the payment through the metadata.
 * Once Stripe answered, a request for the quote returns the payment without calling Stripe.
 *
 * <p>{@link #refund} gives a succeeded payment back the same way: in the request's transaction, with
 * the row locked while Stripe is asked, so that concurrent refunds make one call and the others find
 * it refunded; Stripe's Idempotency-Key ({@code <payment id>:refund}) covers a crash between
 * Stripe's answer and the commit.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);
    /** Leaves room for the payment id and ":payment_intent" within Stripe's 255 characters. */
    static final int CALLER_KEY_PART = 180;
    private static final Duration LONGEST_CHECKOUT = Duration.ofHours(24).minusMinutes(5);

    /**
     * The payment to take: the quote's total, currency and customer, and how often it is billed
     * ({@code month} or {@code year}; null: once) ({@link PaymentTerms}).
     */
    public record NewPayment(String quoteId, BigDecimal amount, String currency, String customerEmail, String billingInterval) {
    }

    /** The payment after a request; {@code charged} if this request had Stripe take it. */
    public record Processed(Payment payment, boolean charged) {
    }

    private final PaymentRepository payments;
    private final OutboxEventRepository outbox;
    private final StripeGateway stripe;
    private final StripeConfig stripeConfig;
    private final Funnel funnel;

    PaymentService(PaymentRepository payments, OutboxEventRepository outbox, StripeGateway stripe, StripeConfig stripeConfig,
                   Funnel funnel) {
        this.payments = payments;
        this.outbox = outbox;
        this.stripe = stripe;
        this.stripeConfig = stripeConfig;
        this.funnel = funnel;
    }

    /** Step 1: the tenant's payment for the quote, inserted pending and committed unless it exists. */
    @WithTransaction
    public Uni<Payment> reserve(String tenantId, NewPayment request, String callerKey) {
        UUID id = UUID.randomUUID();
        // The Checkout Session's closing time is fixed with the row: every attempt then asks Stripe for
        // the same session (Stripe refuses an Idempotency-Key reused with other parameters).
        OffsetDateTime checkoutExpiresAt = stripe.confirmsItself() ? null : now().plus(checkoutExpiry()).truncatedTo(ChronoUnit.SECONDS);
        // Confirmed here (tests, STRIPE_PAYMENT_METHOD), a payment is one PaymentIntent: no subscription bills again.
        String interval = stripe.confirmsItself() ? null : request.billingInterval();
        return payments.insertIfAbsent(id, tenantId, request.quoteId(), request.amount(), request.currency(),
                        request.customerEmail(), interval, stripeKeyPrefix(callerKey, id), checkoutExpiresAt)
                .chain(inserted -> payments.findByQuote(tenantId, request.quoteId()));
    }

    /** Step 2: Stripe takes the payment unless it answered for it already; see the class comment. */
    @WithTransaction
    public Uni<Processed> process(String tenantId, UUID paymentId) {
        return payments.lockForTenant(tenantId, paymentId).chain(payment -> {
            if (payment == null) {
                throw new IllegalStateException("payment " + paymentId + " was reserved but is gone");
            }
            if (!payment.awaitsStripe()) {
                return Uni.createFrom().item(new Processed(payment, false));
            }
            if (!stripe.confirmsItself()) {
                if (payment.checkoutExpiresAt == null) {
                    payment.checkoutExpiresAt = payment.createdAt.plus(checkoutExpiry()).truncatedTo(ChronoUnit.SECONDS);
                }
                return stripe.openCheckout(chargeRequest(payment), payment.checkoutExpiresAt.toInstant()).map(session -> {
                    payment.checkoutSessionId = session.sessionId();
                    payment.checkoutUrl = session.url();
                    if (session.expiresAt() != null) {
                        payment.checkoutExpiresAt = session.expiresAt().atOffset(ZoneOffset.UTC);
                    }
                    payment.updatedAt = now();
                    LOG.infof("payment %s for quote %s: the customer pays on Checkout Session %s until %s%s", payment.id,
                            payment.quoteId, session.sessionId(), payment.checkoutExpiresAt,
                            payment.billingInterval == null ? "" : ", starting a subscription billed every " + payment.billingInterval);
                    return new Processed(payment, true);
                });
            }
            return stripe.charge(chargeRequest(payment))
                    .chain(charge -> {
                        payment.stripeCustomerId = charge.customerId();
                        payment.stripePaymentIntentId = charge.paymentIntentId();
                        payment.updatedAt = now();
                        return transition(payment, PaymentStatus.fromStripe(charge.status(), charge.attemptFailed()),
                                charge.failureMessage());
                    })
                    .map(recorded -> new Processed(recorded, true));
        });
    }

    /**
     * What Stripe reported later (a webhook, or the reconciliation job asking) about a payment locked
     * by the caller: the PaymentIntent, customer, subscription and invoice where not known yet, and
     * the new status if it is a legal move.
     */
    @WithTransaction
    public Uni<Payment> recordFromStripe(Payment payment, StripeIds ids, PaymentStatus reported, String failureMessage) {
        if (payment.stripePaymentIntentId == null && ids.paymentIntentId() != null) {
            payment.stripePaymentIntentId = ids.paymentIntentId();
            payment.updatedAt = now();
        }
        if (payment.stripeCustomerId == null && ids.customerId() != null) {
            payment.stripeCustomerId = ids.customerId();
            payment.updatedAt = now();
        }
        if (payment.stripeSubscriptionId == null && ids.subscriptionId() != null) {
            payment.stripeSubscriptionId = ids.subscriptionId();
            payment.updatedAt = now();
        }
        if (payment.stripeInvoiceId == null && ids.invoiceId() != null) {
            payment.stripeInvoiceId = ids.invoiceId();
            payment.updatedAt = now();
        }
        if (reported == null && failureMessage != null && payment.status == PaymentStatus.PENDING) {
            // A declined attempt on the hosted page: the customer may try again until the session closes.
            payment.failureMessage = failureMessage;
            payment.updatedAt = now();
        }
        return reported == null ? Uni.createFrom().item(payment) : transition(payment, reported, failureMessage);
    }

    /**
     * Refunds the tenant's payment in full through Stripe, unless it is refunded already (then it is
     * returned as it is, without asking Stripe): only a succeeded payment is refunded (409 otherwise);
     * 404 if unknown or another tenant's; 502 if Stripe refuses the refund, 503 if Stripe is down,
     * and then the payment stays succeeded. {@code reason} (may be null) is recorded, not sent.
     */
    @WithTransaction
    public Uni<Payment> refund(String tenantId, String id, String reason) {
        UUID uuid = parse(id);
        return (uuid == null ? Uni.createFrom().<Payment>nullItem() : payments.lockForTenant(tenantId, uuid))
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(payment -> switch (payment.status) {
                    // Refunded in Stripe's dashboard during the journey, say: a subscription it started may still
                    // run, and is ended. Not one that has renewed since: that customer pays, and a goodwill refund
                    // of the first month must not end their platform.
                    case REFUNDED -> payment.stripeSubscriptionId == null ? Uni.createFrom().item(payment)
                            : refusedIfRenewed(payment).chain(() -> stripe.cancelSubscription(payment.id, payment.stripeSubscriptionId))
                                    .replaceWith(payment);
                    case SUCCEEDED -> refundAtStripe(payment, reason);
                    default -> throw new Conflict("Payment " + id + " is " + payment.status.value()
                            + ", not succeeded: only a succeeded payment is refunded");
                });
    }

    /** 409 if the payment's subscription has renewed since: refunding and ending it would keep what the renewals took. */
    private Uni<Void> refusedIfRenewed(Payment payment) {
        Uni<Long> renewals = payment.stripeSubscriptionId == null ? Uni.createFrom().item(0L)
                : payments.paidRenewals(payment.stripeSubscriptionId);
        return renewals.invoke(paid -> {
            if (paid > 0) {
                throw new Conflict("Payment " + payment.id + " started subscription " + payment.stripeSubscriptionId
                        + ", which has renewed since (" + paid + " more invoice(s) paid): refund those in Stripe's "
                        + "dashboard, or cancel the subscription; nothing was changed");
            }
        }).replaceWithVoid();
    }

    private Uni<Payment> refundAtStripe(Payment payment, String reason) {
        return refusedIfRenewed(payment).chain(() -> paidBy(payment))
                .chain(intent -> stripe.refund(new RefundRequest(payment.id, payment.tenantId, payment.quoteId, intent,
                        Money.minorUnits(payment.amount), payment.stripeSubscriptionId != null)))
                .chain(refund -> {
                    if (!refund.accepted()) {
                        throw new UpstreamFailed("Stripe refused to refund payment " + payment.id + ": refund "
                                + refund.refundId() + " is " + refund.status()
                                + (refund.failureReason() == null ? "" : " (" + refund.failureReason() + ")")
                                + "; the payment stays succeeded"
                                + (payment.stripeSubscriptionId == null ? "" : " (its subscription is cancelled: Stripe charges nothing more)"));
                    }
                    payment.stripeRefundId = refund.refundId();
                    payment.refundReason = reason;
                    return transition(payment, PaymentStatus.REFUNDED, null);
                });
    }

    /**
     * The PaymentIntent that took the payment: its own, or, for a payment that started a
     * subscription, its first invoice's, the subscription cancelled first so that Stripe charges
     * nothing more for a customer being given the money back (recorded once known).
     */
    private Uni<String> paidBy(Payment payment) {
        Uni<Void> ended = payment.stripeSubscriptionId == null ? Uni.createFrom().voidItem()
                : stripe.cancelSubscription(payment.id, payment.stripeSubscriptionId);
        return ended.chain(() -> {
            if (payment.stripePaymentIntentId != null) {
                return Uni.createFrom().item(payment.stripePaymentIntentId);
            }
            if (payment.stripeInvoiceId == null) {
                // Cannot happen for a payment Stripe reported paid, which names its PaymentIntent or its invoice.
                throw new Conflict("Payment " + payment.id + " succeeded without a recorded Stripe PaymentIntent or invoice; "
                        + "refund it in Stripe's dashboard (its charge.refunded webhook records the refund)");
            }
            return stripe.invoicePaymentIntent(payment.id, payment.stripeInvoiceId)
                    .invoke(intent -> payment.stripePaymentIntentId = intent);
        });
    }

    public Uni<Payment> get(String tenantId, String id) {
        UUID uuid = parse(id);
        return (uuid == null ? Uni.createFrom().<Payment>nullItem() : payments.findForTenant(tenantId, uuid))
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    private static DomainException notFound(String id) {
        return new NotFound("Payment " + id + " not found");
    }

    public Uni<Payment> byQuote(String tenantId, String quoteId) {
        UUID uuid = parse(quoteId);
        // Payments carry crm's spelling of a quote id (lower case); a caller may write it otherwise.
        return payments.findByQuote(tenantId, uuid == null ? quoteId : uuid.toString())
                .onItem().ifNull().failWith(() -> new NotFound("No payment for quote " + quoteId));
    }

    public Uni<Page<Payment>> list(String tenantId, PageRequest page) {
        return payments.page(tenantId, page);
    }

    /**
     * Moves the payment to {@code next} if allowed, writing in the same transaction the
     * {@code billing.payment.updated} outbox row, and for a success the {@code billing.payment.received}
     * one: each event is emitted once, exactly when the change is committed.
     */
    private Uni<Payment> transition(Payment payment, PaymentStatus next, String failureMessage) {
        if (payment.status == next) {
            return Uni.createFrom().item(payment);
        }
        if (!payment.status.canBecome(next)) {
            LOG.infof("payment %s stays %s: Stripe reported %s, which does not follow it", payment.id,
                    payment.status.value(), next.value());
            return Uni.createFrom().item(payment);
        }
        OffsetDateTime now = now();
        payment.status = next;
        payment.updatedAt = now;
        switch (next) {
            case SUCCEEDED -> {
                payment.succeededAt = now;
                payment.failureMessage = null;
                LOG.infof("payment %s for quote %s succeeded (%s)", payment.id, payment.quoteId, payment.stripePaymentIntentId);
            }
            case FAILED -> {
                payment.failureMessage = failureMessage == null ? "The payment failed" : failureMessage;
                LOG.infof("payment %s for quote %s failed: %s", payment.id, payment.quoteId, payment.failureMessage);
            }
            case REFUNDED -> {
                // Billing's own refund named Stripe's; one made in Stripe's dashboard (the webhook) has none here.
                payment.refundedAt = now;
                LOG.infof("payment %s for quote %s refunded (%s)", payment.id, payment.quoteId,
                        payment.stripeRefundId == null ? "in Stripe" : payment.stripeRefundId);
            }
            default -> LOG.infof("payment %s for quote %s is now %s", payment.id, payment.quoteId, next.value());
        }
        Uni<?> events = outbox.persist(PaymentEvents.updated(payment));
        if (next == PaymentStatus.SUCCEEDED) {
            events = events.chain(() -> outbox.persist(PaymentEvents.received(payment))).invoke(() -> funnel.reached(Funnel.Stage.PAID));
        }
        return events.replaceWith(payment);
    }

    /**
     * How long a Checkout Session stays open: the configured time, kept five minutes inside Stripe's
     * 24-hour limit so that clocks a little apart never make Stripe refuse it.
     */
    private Duration checkoutExpiry() {
        Duration configured = stripeConfig.checkout().expiry();
        return configured.compareTo(LONGEST_CHECKOUT) > 0 ? LONGEST_CHECKOUT : configured;
    }

    private static ChargeRequest chargeRequest(Payment payment) {
        return new ChargeRequest(payment.id, payment.tenantId, payment.quoteId, Money.minorUnits(payment.amount),
                payment.currency, payment.customerEmail, payment.billingInterval, payment.stripeIdempotencyKey);
    }

    /**
     * {@code <caller's Idempotency-Key>/payment-<id>}, or {@code payment-<id>} without one: the
     * caller's key says which request made it, the payment id makes it this payment's alone (a
     * key that failed may be reused by its caller for another quote).
     */
    static String stripeKeyPrefix(String callerKey, UUID paymentId) {
        String payment = "payment-" + paymentId;
        if (callerKey == null || callerKey.isBlank()) {
            return payment;
        }
        return (callerKey.length() > CALLER_KEY_PART ? callerKey.substring(0, CALLER_KEY_PART) : callerKey) + "/" + payment;
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** In PostgreSQL's microseconds: an answer shows the times a later read of the payment shows. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
