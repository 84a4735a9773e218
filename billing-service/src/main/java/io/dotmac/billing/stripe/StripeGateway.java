package io.dotmac.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.InvoicePayment;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Price;
import com.stripe.model.Refund;
import com.stripe.model.StripeError;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.InvoicePaymentListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Unavailable;
import io.dotmac.common.error.DomainException.Unprocessable;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one place that calls Stripe, through stripe-java's {@link StripeClient} built from
 * {@link StripeConfig} (its own instance: no global {@code Stripe.apiKey}). stripe-java blocks, so
 * every call runs on a worker thread through {@link Vertx#executeBlocking(Uni, boolean)}, started
 * from the caller's Vert.x context: the result comes back on that context, where the caller's
 * Hibernate Reactive session and transaction go on.
 *
 * <p>Each POST carries an Idempotency-Key derived from the payment ({@code <prefix>:customer},
 * {@code <prefix>:payment_intent}, {@code <payment id>:refund}); stripe-java resends it on its own
 * retries, and so does a later attempt for the same payment, so Stripe creates one customer, one
 * PaymentIntent and one refund per payment however often it is asked.
 */
@ApplicationScoped
@Startup // a refused key stops the service at start, not at its first payment
public class StripeGateway {

    private static final Logger LOG = Logger.getLogger(StripeGateway.class);
    /** Stripe's error code for a refund of a charge refunded in full already. */
    static final String ALREADY_REFUNDED = "charge_already_refunded";
    /** What a caller is told stays as it was when Stripe fails, by the kind of call. */
    private static final String CHARGE_UNCHANGED = "the payment stays pending and is retryable: retry with the same "
            + "Idempotency-Key, Stripe will not charge twice";
    private static final String REFUND_UNCHANGED = "the payment stays succeeded and the refund is retryable: Stripe "
            + "will not refund twice";
    /** The same, once the refund of a subscription's first payment has ended the subscription. */
    private static final String REFUND_AFTER_CANCEL = "the subscription is cancelled, Stripe charges nothing more; the payment "
            + "stays succeeded and the refund is retryable: Stripe will not refund twice";
    /** A subscription's cancellation at its period's end, or its undoing. */
    private static final String SUBSCRIPTION_UNCHANGED = "the subscription stays as it was and the request is retryable";
    /** A seat change that failed at Stripe. */
    private static final String SEATS_UNCHANGED = "the subscription's seats stay as they were and the change is retryable: "
            + "Stripe will not make it twice";
    static final String STRIPE_API = "https://api.stripe.com";
    /** A subscription in these statuses has ended: Stripe charges nothing more for it. */
    private static final Set<String> ENDED = Set.of("canceled", "incomplete_expired");
    /** How long Stripe keeps a Checkout Session open, at the least and at the most. */
    static final Duration SHORTEST_CHECKOUT = Duration.ofMinutes(30);
    static final Duration LONGEST_CHECKOUT = Duration.ofHours(24);
    /** The shortest expiry a stand-in of Stripe is given (STRIPE_API_BASE elsewhere): long enough to pay in a test. */
    static final Duration SHORTEST_ON_STAND_IN = Duration.ofSeconds(10);

    private final StripeConfig config;
    private final Vertx vertx;
    /** Null when no API key is configured: the service runs, payments answer 503. */
    private final StripeClient client;

    StripeGateway(StripeConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        config.apiKey().ifPresent(key -> refuseUnsafeLiveKey(key, config.apiBase(), config.allowLive()));
        this.client = config.apiKey().filter(key -> !key.isBlank())
                .map(key -> StripeClient.builder()
                        .setApiKey(key)
                        .setApiBase(config.apiBase())
                        .setMaxNetworkRetries(config.maxNetworkRetries())
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setReadTimeout((int) config.readTimeout().toMillis())
                        .build())
                .orElse(null);
        if (client == null) {
            LOG.warn("Stripe is not configured (STRIPE_SECRET_KEY is empty): payment requests will answer 503");
        } else if (confirmsItself()) {
            LOG.warnf("STRIPE_PAYMENT_METHOD is set: every PaymentIntent is confirmed off-session with %s. That is for tests"
                    + " and the local demo only; without it customers pay on Stripe's hosted Checkout page",
                    config.paymentMethod().orElseThrow());
        }
        if (refuseUnsupportedExpiry(config.checkout().expiry(), config.apiBase())) {
            LOG.warnf("billing.stripe.checkout.expiry (CHECKOUT_EXPIRY) is %s, outside Stripe's 30 minutes to 24 hours: "
                    + "accepted because STRIPE_API_BASE is %s, a stand-in, not %s", config.checkout().expiry(),
                    config.apiBase(), STRIPE_API);
        }
    }

    /** Whether {@code apiBase} is Stripe's own API (a trailing slash aside), not a stub or a proxy. */
    static boolean stripesOwn(String apiBase) {
        return STRIPE_API.equals(apiBase.replaceAll("/+$", ""));
    }

    /**
     * Refuses a Checkout Session's {@code expiry} that the API would not take: Stripe's own keeps a
     * session open for 30 minutes to 24 hours; a stand-in of it (tests, the local demo, which want
     * to see one close) for 10 seconds or more. True when the expiry is accepted only because the
     * API is a stand-in.
     */
    static boolean refuseUnsupportedExpiry(Duration expiry, String apiBase) {
        boolean withinStripes = expiry.compareTo(SHORTEST_CHECKOUT) >= 0 && expiry.compareTo(LONGEST_CHECKOUT) <= 0;
        if (stripesOwn(apiBase) && !withinStripes) {
            throw new IllegalStateException("billing.stripe.checkout.expiry (CHECKOUT_EXPIRY) is " + expiry
                    + "; Stripe keeps a Checkout Session open for 30 minutes to 24 hours");
        }
        if (expiry.compareTo(SHORTEST_ON_STAND_IN) < 0) {
            throw new IllegalStateException("billing.stripe.checkout.expiry (CHECKOUT_EXPIRY) is " + expiry
                    + "; even against a stand-in of Stripe (STRIPE_API_BASE " + apiBase + ") a Checkout Session stays open "
                    + SHORTEST_ON_STAND_IN.toSeconds() + " seconds at least");
        }
        return !withinStripes;
    }

    /**
     * A live key is used only when allowed ({@code billing.stripe.allow-live}) and only with Stripe's
     * own API, never sent to a stub or a proxy that {@code STRIPE_API_BASE} might name.
     */
    static void refuseUnsafeLiveKey(String key, String apiBase, boolean allowLive) {
        String trimmed = key.trim();
        if (!trimmed.startsWith("sk_live_") && !trimmed.startsWith("rk_live_")) {
            return;
        }
        if (!allowLive) {
            throw new IllegalStateException("STRIPE_SECRET_KEY is a live-mode key and billing.stripe.allow-live "
                    + "(STRIPE_ALLOW_LIVE) is not true: refusing to start rather than take real payments");
        }
        if (!stripesOwn(apiBase)) {
            throw new IllegalStateException("STRIPE_SECRET_KEY is a live-mode key and STRIPE_API_BASE is " + apiBase
                    + ", not " + STRIPE_API + ": refusing to send a live key anywhere but Stripe");
        }
    }

    /**
     * Whether PaymentIntents are confirmed here with the configured payment method (tests, the
     * local demo) rather than paid by the customer on a Checkout Session.
     */
    public boolean confirmsItself() {
        return config.paymentMethod().filter(method -> !method.isBlank()).isPresent();
    }

    /**
     * Opens the Checkout Session on which the customer pays {@code request}: one line, the quote's
     * total, open until {@code expiresAt}. Its Idempotency-Key is the payment's, so asking again
     * (with the same {@code expiresAt}) finds the same session instead of opening a second.
     */
    public Uni<StripeCheckout> openCheckout(ChargeRequest request, Instant expiresAt) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return checkout(client.v1().checkout().sessions().create(checkoutSession(request, expiresAt),
                        RequestOptions.builder().setIdempotencyKey(request.idempotencyKey() + ":checkout_session").build()));
            } catch (StripeException e) {
                throw translate(request.paymentId(), e);
            }
        }), false);
    }

    /** What Stripe says now about the payment's Checkout Session: asked when its webhook has not come. */
    public Uni<StripeCheckout> checkoutSession(UUID paymentId, String sessionId) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return checkout(client.v1().checkout().sessions().retrieve(sessionId));
            } catch (StripeException e) {
                throw translate(paymentId, e);
            }
        }), false);
    }

    /** A session as a webhook or an API call carries it. */
    public static StripeCheckout checkout(Session session) {
        return new StripeCheckout(session.getId(), session.getUrl(),
                session.getExpiresAt() == null ? null : Instant.ofEpochSecond(session.getExpiresAt()), session.getStatus(),
                session.getPaymentStatus(), session.getPaymentIntent(), session.getCustomer(), session.getSubscription(),
                session.getInvoice());
    }

    /**
     * One line, the quote's total. Billed every month or year, the session is in subscription mode:
     * paying it starts a Stripe Billing subscription of that price, whose invoices Stripe charges
     * from then on; the metadata goes on the subscription (and Stripe copies it to its invoices),
     * not on a PaymentIntent, which subscription mode does not take.
     */
    private SessionCreateParams checkoutSession(ChargeRequest request, Instant expiresAt) {
        Map<String, String> metadata = Map.of("payment_id", request.paymentId().toString(), "quote_id", request.quoteId(),
                "tenant_id", request.tenantId());
        var price = SessionCreateParams.LineItem.PriceData.builder()
                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                .setUnitAmount(request.amountMinor())
                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName("Quote " + request.quoteId()).build());
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setSuccessUrl(successUrl(config.checkout().successUrl()))
                .setClientReferenceId(request.paymentId().toString())
                .setExpiresAt(expiresAt.getEpochSecond())
                // The session's and its PaymentIntent's or subscription's: how a webhook of either finds the payment.
                .putAllMetadata(metadata);
        if (request.billingInterval() == null) {
            params.setMode(SessionCreateParams.Mode.PAYMENT)
                    .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putAllMetadata(metadata)
                            .setDescription("Quote " + request.quoteId()).build());
        } else {
            price.setRecurring(SessionCreateParams.LineItem.PriceData.Recurring.builder()
                    .setInterval("year".equals(request.billingInterval()) ? SessionCreateParams.LineItem.PriceData.Recurring.Interval.YEAR
                            : SessionCreateParams.LineItem.PriceData.Recurring.Interval.MONTH).build());
            params.setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                    .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putAllMetadata(metadata)
                            .setDescription("Quote " + request.quoteId()).build());
        }
        params.addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L).setPriceData(price.build()).build());
        config.checkout().cancelUrl().filter(url -> !url.isBlank()).ifPresent(params::setCancelUrl);
        if (request.customerEmail() != null) {
            params.setCustomerEmail(request.customerEmail());
        }
        return params.build();
    }

    static String successUrl(String configured) {
        return configured + (configured.contains("?") ? "&" : "?") + "session_id={CHECKOUT_SESSION_ID}";
    }

    /** Whether an API key is configured. */
    public boolean configured() {
        return client != null;
    }

    /** 503 unless an API key is configured; checked before anything is recorded. */
    public void requireConfigured() {
        if (client == null) {
            throw new Unavailable("Stripe is not configured on this billing-service (set STRIPE_SECRET_KEY); "
                    + "nothing was recorded");
        }
    }

    /**
     * Finds or creates the customer for the email and creates the PaymentIntent (confirmed with
     * the configured payment method, if any). A decline is an answer, not a failure; Stripe being
     * unreachable or failing after stripe-java's retries is a retryable 503.
     */
    public Uni<StripeCharge> charge(ChargeRequest request) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> chargeBlocking(request)), false);
    }

    /**
     * What Stripe says now about the payment's PaymentIntent (its status, customer and last
     * attempt's error): asked when its webhook has not come.
     */
    public Uni<StripeCharge> paymentIntent(UUID paymentId, String paymentIntentId) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                PaymentIntent intent = client.v1().paymentIntents().retrieve(paymentIntentId);
                StripeError lastError = intent.getLastPaymentError();
                return new StripeCharge(intent.getCustomer(), intent.getId(), intent.getStatus(),
                        lastError == null ? null : lastError.getMessage());
            } catch (StripeException e) {
                throw translate(paymentId, e);
            }
        }), false);
    }

    private StripeCharge chargeBlocking(ChargeRequest request) {
        String customerId = null;
        try {
            if (request.customerEmail() != null) {
                customerId = customerFor(request.customerEmail(), request.idempotencyKey() + ":customer");
            }
            PaymentIntent intent = client.v1().paymentIntents().create(paymentIntent(request, customerId),
                    RequestOptions.builder().setIdempotencyKey(request.idempotencyKey() + ":payment_intent").build());
            StripeError lastError = intent.getLastPaymentError();
            return new StripeCharge(customerId, intent.getId(), intent.getStatus(), lastError == null ? null : lastError.getMessage());
        } catch (CardException declined) {
            // 402: the card was declined. Stripe's error carries the PaymentIntent it left behind.
            StripeError error = declined.getStripeError();
            PaymentIntent intent = error == null ? null : error.getPaymentIntent();
            String message = error != null && error.getMessage() != null ? error.getMessage() : declined.getMessage();
            LOG.infof("Stripe declined payment %s: %s (decline code %s)", request.paymentId(), message, declined.getDeclineCode());
            return new StripeCharge(customerId, intent == null ? null : intent.getId(),
                    intent == null ? "requires_payment_method" : intent.getStatus(), message);
        } catch (StripeException e) {
            throw translate(request.paymentId(), e);
        }
    }

    /**
     * Gives the payment back: a refund of its PaymentIntent, of its whole amount. The refund's
     * Idempotency-Key is the payment's own ({@code <payment id>:refund}), whoever asks and however
     * often, so a refund asked again (after a crash between Stripe's answer and the commit, or
     * stripe-java's retries) is answered with the refund Stripe made: at most one per payment.
     * A PaymentIntent refunded in Stripe's dashboard already is an answer too, a refunded one.
     * The caller's reason is not sent: a retry with another reason would then be another request
     * under the same key, which Stripe refuses.
     */
    public Uni<StripeRefund> refund(RefundRequest request) {
        requireConfigured();
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(request.paymentIntentId())
                // Exactly what billing recorded as paid: after a partial refund in Stripe's dashboard Stripe
                // refuses it (422), for a person to finish there, rather than billing calling the rest "refunded".
                .setAmount(request.amountMinor())
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                .putMetadata("payment_id", request.paymentId().toString())
                .putMetadata("quote_id", request.quoteId())
                .putMetadata("tenant_id", request.tenantId())
                .build();
        String unchanged = request.subscriptionEnded() ? REFUND_AFTER_CANCEL : REFUND_UNCHANGED;
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                Refund refund = client.v1().refunds().create(params,
                        RequestOptions.builder().setIdempotencyKey(request.paymentId() + ":refund").build());
                return new StripeRefund(refund.getId(), refund.getStatus(), refund.getFailureReason());
            } catch (InvalidRequestException e) {
                if (ALREADY_REFUNDED.equals(e.getCode())) {
                    LOG.infof("Stripe says PaymentIntent %s of payment %s is refunded already", request.paymentIntentId(),
                            request.paymentId());
                    return new StripeRefund(null, "succeeded", null);
                }
                throw translate(request.paymentId(), e, unchanged);
            } catch (StripeException e) {
                throw translate(request.paymentId(), e, unchanged);
            }
        }), false);
    }

    /**
     * Ends the subscription now, unless it has ended already. A refund's first step: Stripe then
     * charges nothing more for it.
     */
    public Uni<Void> cancelSubscription(UUID paymentId, String subscriptionId) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return unlessEnded(subscriptionId, current -> {
                    Subscription cancelled = client.v1().subscriptions().cancel(subscriptionId);
                    LOG.infof("Stripe subscription %s of payment %s cancelled", subscriptionId, paymentId);
                    return cancelled;
                });
            } catch (StripeException e) {
                throw translate(paymentId, e, REFUND_UNCHANGED);
            }
        }), false).replaceWithVoid();
    }

    /**
     * Sets the subscription to end at its period's end ({@code cancel}), or to renew again, unless
     * Stripe says so already or it has ended: Stripe's answer, as a report made at {@code asOf}
     * (no later than the request, so that the webhook of this change is applied after it, as the
     * same news). An ended subscription is answered as it is.
     */
    public Uni<StripeSubscription> cancelAtPeriodEnd(String subscriptionId, boolean cancel, OffsetDateTime asOf) {
        requireConfigured();
        SubscriptionUpdateParams params = SubscriptionUpdateParams.builder().setCancelAtPeriodEnd(cancel).build();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                // No Idempotency-Key of ours: cancel, resume and cancel again are three requests (stripe-java keys its own retries).
                Subscription answer = unlessEnded(subscriptionId, current -> Boolean.valueOf(cancel).equals(current.getCancelAtPeriodEnd())
                        ? current : client.v1().subscriptions().update(subscriptionId, params));
                return StripeSubscription.of(answer, asOf.toEpochSecond());
            } catch (StripeException e) {
                throw translate("subscription " + subscriptionId, e, SUBSCRIPTION_UNCHANGED);
            }
        }), false);
    }

    /**
     * Re-prices the subscription's one item (billing opens subscriptions with one) to
     * {@code amountMinor} per period from now: prorated and invoiced at once ({@code always_invoice}),
     * and applied only if that invoice is paid ({@code pending_if_incomplete}: a declined card leaves
     * the subscription as it was, the change pending on the open invoice). The Idempotency-Key is
     * the change's, so a retry after a lost answer gets Stripe's first answer, not a second change.
     * 409 if the subscription has ended, 422 if Stripe bills it in another currency.
     */
    public Uni<StripeSeatChange> changeSeats(String subscriptionId, long amountMinor, String currency, String idempotencyKey) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                Subscription current = client.v1().subscriptions().retrieve(subscriptionId);
                if (ENDED.contains(current.getStatus())) {
                    throw new Conflict("Stripe says subscription " + subscriptionId + " has ended (" + current.getStatus()
                            + "): its seats cannot change");
                }
                SubscriptionItem item = current.getItems().getData().get(0);
                Price price = item.getPrice();
                if (!price.getCurrency().equalsIgnoreCase(currency)) {
                    throw new Unprocessable("Stripe bills subscription " + subscriptionId + " in " + price.getCurrency()
                            + ", not " + currency);
                }
                Price.Recurring recurring = price.getRecurring();
                if (recurring == null || !Long.valueOf(1).equals(recurring.getIntervalCount())
                        || !Set.of("month", "year").contains(recurring.getInterval())) {
                    throw new Unprocessable("Stripe bills subscription " + subscriptionId + " every "
                            + (recurring == null ? "once" : recurring.getIntervalCount() + " " + recurring.getInterval())
                            + "; billing changes the seats of monthly and annual ones only");
                }
                var interval = "year".equals(recurring.getInterval())
                        ? SubscriptionUpdateParams.Item.PriceData.Recurring.Interval.YEAR
                        : SubscriptionUpdateParams.Item.PriceData.Recurring.Interval.MONTH;
                SubscriptionUpdateParams params = SubscriptionUpdateParams.builder()
                        .addItem(SubscriptionUpdateParams.Item.builder().setId(item.getId()).setQuantity(1L)
                                .setPriceData(SubscriptionUpdateParams.Item.PriceData.builder()
                                        .setCurrency(price.getCurrency()).setProduct(price.getProduct()).setUnitAmount(amountMinor)
                                        .setRecurring(SubscriptionUpdateParams.Item.PriceData.Recurring.builder().setInterval(interval).build())
                                        .build())
                                .build())
                        .setProrationBehavior(SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE)
                        .setPaymentBehavior(SubscriptionUpdateParams.PaymentBehavior.PENDING_IF_INCOMPLETE)
                        .build();
                Subscription answer = client.v1().subscriptions().update(subscriptionId, params,
                        RequestOptions.builder().setIdempotencyKey(idempotencyKey).build());
                StripeSeatChange change = StripeSeatChange.of(answer, prorationOf(answer));
                LOG.infof("Stripe subscription %s re-priced to %d %s a period: %s, prorated %s (invoice %s %s)", subscriptionId,
                        amountMinor, currency, change.applied() ? "applied" : "pending its invoice's payment", change.prorated(),
                        change.invoiceId(), change.invoiceStatus());
                return change;
            } catch (IdempotencyException e) {
                // The same change is in flight at Stripe (its key in use): its answer comes to whoever asks again.
                LOG.infof("Stripe is making the seat change %s of subscription %s already: %s", idempotencyKey, subscriptionId,
                        e.getMessage());
                throw new Unavailable("Stripe is making this seat change of subscription " + subscriptionId + " already; retry");
            } catch (StripeException e) {
                throw translate("subscription " + subscriptionId, e, SEATS_UNCHANGED);
            }
        }), false);
    }

    /**
     * The invoice of the change Stripe answered with, or null when there was nothing to prorate (the
     * latest is then the period's own). Asked after the change was made: failing, it is a 503, so
     * that the change is asked for again (the same answer, by its Idempotency-Key), never forgotten.
     */
    private Invoice prorationOf(Subscription answer) {
        if (answer.getLatestInvoice() == null) {
            return null;
        }
        try {
            Invoice latest = client.v1().invoices().retrieve(answer.getLatestInvoice());
            return "subscription_update".equals(latest.getBillingReason()) ? latest : null;
        } catch (StripeException e) {
            LOG.warnf("Stripe's invoice %s of subscription %s could not be read: %s", answer.getLatestInvoice(), answer.getId(),
                    e.getMessage());
            throw new Unavailable("Stripe made the seat change of subscription " + answer.getId() + " but its invoice "
                    + answer.getLatestInvoice() + " could not be read; ask again: Stripe answers the same");
        }
    }

    /** A change of a subscription at Stripe, given the subscription as Stripe has it now: the subscription after it. */
    @FunctionalInterface
    private interface SubscriptionChange {
        Subscription apply(Subscription current) throws StripeException;
    }

    /**
     * The subscription after {@code change}, made unless it has ended (asked first: Stripe refuses
     * to change an ended one); refused because it ended meanwhile (its period's end, a
     * cancellation), it is returned as it is then.
     */
    private Subscription unlessEnded(String subscriptionId, SubscriptionChange change) throws StripeException {
        Subscription current = client.v1().subscriptions().retrieve(subscriptionId);
        if (ENDED.contains(current.getStatus())) {
            return current;
        }
        try {
            return change.apply(current);
        } catch (InvalidRequestException refused) {
            Subscription now = client.v1().subscriptions().retrieve(subscriptionId);
            if (!ENDED.contains(now.getStatus())) {
                throw refused;
            }
            return now;
        }
    }

    /**
     * The PaymentIntent that paid the invoice (a subscription's first): what a refund of it names,
     * and what a refund made in Stripe's dashboard names.
     */
    public Uni<String> invoicePaymentIntent(UUID paymentId, String invoiceId) {
        requireConfigured();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                List<InvoicePayment> paid = client.v1().invoicePayments()
                        .list(InvoicePaymentListParams.builder().setInvoice(invoiceId).build()).getData();
                return paid.stream().filter(payment -> "paid".equals(payment.getStatus()) && payment.getPayment() != null
                                && payment.getPayment().getPaymentIntent() != null)
                        .map(payment -> payment.getPayment().getPaymentIntent()).findFirst()
                        .orElseThrow(() -> new Conflict("Stripe names no PaymentIntent that paid invoice " + invoiceId + " of payment "
                                + paymentId + "; refund it in Stripe's dashboard (its charge.refunded webhook records the refund)"));
            } catch (StripeException e) {
                throw translate(paymentId, e, REFUND_AFTER_CANCEL);
            }
        }), false);
    }

    /**
     * The PaymentIntent that took a payment, as a Stripe answer about it names it: the one it gives,
     * or, for a subscription's first invoice (a session in subscription mode names no other), the
     * one that paid that invoice, asked of Stripe. Best effort: null when Stripe cannot say (logged),
     * and billing's own refund asks again.
     */
    public Uni<String> paidBy(UUID paymentId, String paymentIntentId, String invoiceId) {
        if (paymentIntentId != null || invoiceId == null || !configured()) {
            return Uni.createFrom().item(paymentIntentId);
        }
        return invoicePaymentIntent(paymentId, invoiceId).onFailure().recoverWithItem(e -> {
            LOG.warnf("payment %s: the PaymentIntent of invoice %s is not known (%s); recorded without it", paymentId, invoiceId,
                    e.getMessage());
            return null;
        });
    }

    private String customerFor(String email, String idempotencyKey) throws StripeException {
        // List, not search: search is eventually consistent and would miss a customer created a moment ago.
        List<Customer> existing = client.v1().customers()
                .list(CustomerListParams.builder().setEmail(email).setLimit(1L).build()).getData();
        if (existing != null && !existing.isEmpty()) {
            return existing.get(0).getId();
        }
        return client.v1().customers().create(CustomerCreateParams.builder().setEmail(email).build(),
                RequestOptions.builder().setIdempotencyKey(idempotencyKey).build()).getId();
    }

    private PaymentIntentCreateParams paymentIntent(ChargeRequest request, String customerId) {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(request.amountMinor())
                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                .addPaymentMethodType("card")
                .setDescription("Quote " + request.quoteId())
                // How a webhook finds the payment even before this request recorded the PaymentIntent.
                .putMetadata("payment_id", request.paymentId().toString())
                .putMetadata("quote_id", request.quoteId())
                .putMetadata("tenant_id", request.tenantId());
        if (customerId != null) {
            params.setCustomer(customerId).setReceiptEmail(request.customerEmail());
        }
        config.paymentMethod().filter(method -> !method.isBlank())
                .ifPresent(method -> params.setPaymentMethod(method).setConfirm(true).setOffSession(true));
        return params.build();
    }

    private static DomainException translate(UUID paymentId, StripeException e) {
        return translate(paymentId, e, CHARGE_UNCHANGED);
    }

    private static DomainException translate(UUID paymentId, StripeException e, String unchanged) {
        return translate("payment " + paymentId, e, unchanged);
    }

    /**
     * Stripe's error as a problem about {@code subject} ("payment ..."); {@code unchanged} says what
     * stays as it was, and whether to retry.
     */
    private static DomainException translate(String subject, StripeException e, String unchanged) {
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : e.getMessage();
        LOG.warnf("Stripe call for %s failed: %s %s (request %s)", subject,
                e.getStatusCode(), message, e.getRequestId());
        if (e instanceof IdempotencyException) {
            return new Conflict("Stripe refused the request for " + subject + ": " + message);
        }
        if (e instanceof InvalidRequestException) {
            return new Unprocessable("Stripe refused the request for " + subject + ": " + message);
        }
        if (e instanceof AuthenticationException || e instanceof PermissionException) {
            return new Unavailable("Stripe refused the configured API key (" + message + "); " + unchanged);
        }
        // Network errors, rate limits and Stripe's 5xx, still failing after stripe-java's retries.
        String what = e instanceof ApiConnectionException ? "Stripe could not be reached"
                : e instanceof RateLimitException ? "Stripe is rate limiting this account"
                : "Stripe failed (HTTP " + e.getStatusCode() + ")";
        return new Unavailable(what + ": " + message + "; " + unchanged);
    }
}
