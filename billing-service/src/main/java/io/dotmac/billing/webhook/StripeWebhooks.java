package io.dotmac.billing.webhook;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import io.dotmac.billing.payment.Payment;
import io.dotmac.billing.payment.PaymentRepository;
import io.dotmac.billing.payment.PaymentService;
import io.dotmac.billing.payment.PaymentStatus;
import io.dotmac.billing.payment.StripeIds;
import io.dotmac.billing.stripe.StripeConfig;
import io.dotmac.billing.stripe.StripeGateway;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.Unavailable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Stripe's webhook events: verified against the endpoint's signing secret, then applied to the
 * payment of their PaymentIntent or Checkout Session, once per event id. Handles
 * {@code payment_intent.succeeded}, {@code payment_intent.payment_failed}, {@code charge.refunded},
 * {@code checkout.session.completed}, {@code checkout.session.async_payment_succeeded},
 * {@code checkout.session.async_payment_failed} and {@code checkout.session.expired}, and hands
 * Stripe Billing's invoice and subscription events to {@link SubscriptionWebhooks}; acknowledges
 * anything else. A declined attempt on the hosted page leaves the payment pending (the customer may
 * try again until the session closes); the session closing unpaid fails it: "payment not received".
 *
 * <p>The webhook has no token: the payment is found by its PaymentIntent id, or, when the request
 * that created the PaymentIntent has not recorded it (it failed or is still running), by the
 * payment id in the PaymentIntent's metadata; the payment row says whose it is.
 */
@ApplicationScoped
public class StripeWebhooks {

    private static final Logger LOG = Logger.getLogger(StripeWebhooks.class);

    /**
     * What an event says about a payment, found by its PaymentIntent or Checkout Session (or the
     * metadata's payment id). {@code reported} null: nothing to change (a partial refund, a session
     * completed but not paid yet).
     */
    private record Update(StripeIds ids, String checkoutSessionId, Map<String, String> metadata, PaymentStatus reported,
                          String failureMessage) {

        static Update ofIntent(PaymentIntent intent, PaymentStatus reported, String failureMessage) {
            return new Update(StripeIds.ofIntent(intent.getId(), intent.getCustomer()), null, intent.getMetadata(), reported,
                    failureMessage);
        }

        /** A session in subscription mode names, once paid, the subscription and first invoice instead of a PaymentIntent. */
        static Update ofSession(Session session, PaymentStatus reported, String failureMessage) {
            return new Update(new StripeIds(session.getPaymentIntent(), session.getCustomer(), session.getSubscription(),
                    session.getInvoice()), session.getId(), session.getMetadata(), reported, failureMessage);
        }

        String paymentIntentId() {
            return ids.paymentIntentId();
        }

        Update paidBy(String paymentIntentId) {
            return new Update(new StripeIds(paymentIntentId, ids.customerId(), ids.subscriptionId(), ids.invoiceId()),
                    checkoutSessionId, metadata, reported, failureMessage);
        }
    }

    /** How a payment whose customer never paid says so. */
    public static final String NOT_RECEIVED = "payment not received: ";
    /** Why a payment whose Checkout Session closed unpaid failed, however billing learnt it. */
    public static final String SESSION_EXPIRED = NOT_RECEIVED + "the checkout session expired unpaid";

    private final StripeConfig config;
    private final PaymentRepository payments;
    private final PaymentService paymentService;
    private final ProcessedWebhookEventRepository processed;
    private final SubscriptionWebhooks subscriptions;
    private final StripeGateway stripe;

    StripeWebhooks(StripeConfig config, PaymentRepository payments, PaymentService paymentService,
                   ProcessedWebhookEventRepository processed, SubscriptionWebhooks subscriptions, StripeGateway stripe) {
        this.stripe = stripe;
        this.config = config;
        this.payments = payments;
        this.paymentService = paymentService;
        this.processed = processed;
        this.subscriptions = subscriptions;
    }

    /**
     * The event, if {@code signature} (the {@code Stripe-Signature} header) signs {@code payload}
     * with the configured secret within the tolerance; 400 otherwise, 503 without a secret.
     */
    public Event verify(String payload, String signature) {
        String secret = config.webhookSecret().filter(s -> !s.isBlank()).orElseThrow(() -> new Unavailable("Stripe webhooks are not configured on this billing-service (set STRIPE_WEBHOOK_SECRET)"));
        if (signature == null || signature.isBlank()) {
            throw new InvalidRequest("Stripe-Signature header is missing");
        }
        try {
            return Webhook.constructEvent(payload == null ? "" : payload, signature, secret, config.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException e) {
            throw new InvalidRequest("Stripe-Signature does not verify: " + e.getMessage());
        } catch (RuntimeException e) {
            // Signed, but not JSON that stripe-java reads as an event (Gson's parse errors).
            throw new InvalidRequest("The payload is not a Stripe event: " + e.getMessage());
        }
    }

    /**
     * Applies a verified event in one transaction: the payment's change and the event's id; Stripe
     * Billing's events are {@link SubscriptionWebhooks}'.
     */
    public Uni<WebhookAck> handle(Event event) {
        if (SubscriptionWebhooks.TYPES.contains(event.getType())) {
            return subscriptions.handle(event);
        }
        Update update = switch (event.getType()) {
            case "payment_intent.succeeded" -> Update.ofIntent(object(event, PaymentIntent.class), PaymentStatus.SUCCEEDED, null);
            case "payment_intent.payment_failed" -> {
                PaymentIntent intent = object(event, PaymentIntent.class);
                String message = intent.getLastPaymentError() == null ? null : intent.getLastPaymentError().getMessage();
                yield Update.ofIntent(intent, PaymentStatus.FAILED, message);
            }
            case "charge.refunded" -> {
                Charge charge = object(event, Charge.class);
                // Sent for partial refunds too; only a full refund refunds the payment.
                yield new Update(StripeIds.ofIntent(charge.getPaymentIntent(), charge.getCustomer()), null, charge.getMetadata(),
                        Boolean.TRUE.equals(charge.getRefunded()) ? PaymentStatus.REFUNDED : null, null);
            }
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> {
                Session session = object(event, Session.class);
                yield Update.ofSession(session, "paid".equals(session.getPaymentStatus()) ? PaymentStatus.SUCCEEDED : null, null);
            }
            case "checkout.session.async_payment_failed" ->
                    Update.ofSession(object(event, Session.class), PaymentStatus.FAILED, NOT_RECEIVED + "the payment failed");
            case "checkout.session.expired" -> Update.ofSession(object(event, Session.class), PaymentStatus.FAILED,
                    SESSION_EXPIRED);
            default -> null;
        };
        if (update == null || update.paymentIntentId() == null && update.checkoutSessionId() == null) {
            LOG.debugf("Stripe event %s (%s) acknowledged and ignored", event.getId(), event.getType());
            return Uni.createFrom().item(ack(event, "ignored", null));
        }
        return withFirstInvoicesIntent(update).chain(known -> applied(event, known));
    }

    /**
     * A session in subscription mode names its first invoice, not the PaymentIntent that paid it:
     * that one is asked of Stripe (before the transaction) and recorded too, so that a refund made
     * in Stripe's dashboard ({@code charge.refunded}, which names only the PaymentIntent) finds the
     * payment. Asking is best effort: without an answer the payment is recorded all the same, and
     * billing's own refund asks again.
     */
    private Uni<Update> withFirstInvoicesIntent(Update update) {
        StripeIds ids = update.ids();
        return stripe.paidBy(metadataPaymentId(update.metadata()), ids.paymentIntentId(), ids.invoiceId())
                .map(intent -> intent == null ? update : update.paidBy(intent));
    }

    private Uni<WebhookAck> applied(Event event, Update update) {
        return Panache.withTransaction(() -> paymentOf(update).chain(payment -> {
            if (payment == null) {
                LOG.infof("Stripe event %s (%s) is about PaymentIntent %s, which is no payment of ours: ignored",
                        event.getId(), event.getType(), update.paymentIntentId());
                return Uni.createFrom().item(ack(event, "ignored", null));
            }
            return processed.findById(event.getId()).chain(seen -> {
                if (seen != null) {
                    LOG.infof("Stripe event %s (%s) was applied before: nothing changes", event.getId(), event.getType());
                    return Uni.createFrom().item(ack(event, "duplicate", payment));
                }
                // On the hosted page a declined attempt is not the end: the session stays open for another.
                boolean retryable = payment.checkoutSessionId != null && update.checkoutSessionId() == null
                        && update.reported() == PaymentStatus.FAILED;
                return paymentService.recordFromStripe(payment, update.ids(), retryable ? null : update.reported(),
                                update.failureMessage())
                        .call(recorded -> processed.persist(ProcessedWebhookEvent.of(event.getId(), event.getType(),
                                recorded.tenantId, recorded.id)))
                        .map(recorded -> ack(event, "applied", recorded));
            });
        }));
    }

    /**
     * The payment of the PaymentIntent or the Checkout Session, locked; by the metadata's payment id
     * if neither is recorded yet.
     */
    private Uni<Payment> paymentOf(Update update) {
        Uni<Payment> known = update.paymentIntentId() != null ? payments.lockByPaymentIntent(update.paymentIntentId())
                : Uni.createFrom().nullItem();
        return known.chain(found -> found != null || update.checkoutSessionId() == null ? Uni.createFrom().item(found)
                : payments.lockByCheckoutSession(update.checkoutSessionId())).chain(payment -> {
            UUID named = metadataPaymentId(update.metadata());
            if (payment != null || named == null) {
                return Uni.createFrom().item(payment);
            }
            return payments.lockById(named).map(candidate -> candidate != null
                    && candidate.tenantId.equals(update.metadata().get("tenant_id"))
                    && (candidate.stripePaymentIntentId == null || candidate.stripePaymentIntentId.equals(update.paymentIntentId()))
                    && (candidate.checkoutSessionId == null || update.checkoutSessionId() == null
                            || candidate.checkoutSessionId.equals(update.checkoutSessionId()))
                    ? candidate : null);
        });
    }

    private static UUID metadataPaymentId(Map<String, String> metadata) {
        String id = metadata == null ? null : metadata.get("payment_id");
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The event's object. An event of another API version than stripe-java's is read all the
     * same: the fields used (ids, status, metadata, last_payment_error, refunded, amounts, periods)
     * are stable.
     */
    static <T extends StripeObject> T object(Event event, Class<T> type) {
        EventDataObjectDeserializer data = event.getDataObjectDeserializer();
        StripeObject object = data.getObject().orElse(null);
        if (object == null) {
            try {
                object = data.deserializeUnsafe();
            } catch (EventDataObjectDeserializationException | RuntimeException e) {
                throw new InvalidRequest("Stripe event " + event.getId() + " has no readable data.object: " + e.getMessage());
            }
        }
        if (!type.isInstance(object)) {
            throw new InvalidRequest("Stripe event " + event.getId() + " (" + event.getType() + ") carries "
                    + (object == null ? "no object" : "a " + object.getClass().getSimpleName()));
        }
        return type.cast(object);
    }

    private static WebhookAck ack(Event event, String outcome, Payment payment) {
        return new WebhookAck(true, event.getId(), event.getType(), outcome, payment == null ? null : payment.id,
                payment == null ? null : payment.status.value(), null, null);
    }
}
