package io.dotmac.standin.stripe;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Checkout Sessions opened on this stand-in, in memory, and what happens to them: opened once
 * per client reference (as Stripe's Idempotency-Key makes a retried create find the first),
 * paid, declined, expired, each with the webhook Stripe sends for it. A session is settled
 * (expired if its time has come) whenever it is read and by {@link #sweep()}, so that its
 * {@code checkout.session.expired} goes out once, whoever notices first; expired through the API
 * ({@link #expire}) it sends that same event, once too.
 *
 * <p>A customer whose email starts with {@code lost.} pays, but the webhook of the payment never
 * comes: the receiver has to ask (the stub's convention for a lost webhook).
 */
final class CheckoutSessions {

    private static final System.Logger LOG = System.getLogger(CheckoutSessions.class.getName());

    /** A session's id: this prefix and its client reference. */
    static final String PREFIX = "cs_test_";

    private final Map<String, CheckoutSession> sessions = new ConcurrentHashMap<>();
    private final Webhooks webhooks;
    private final Subscriptions subscriptions;

    CheckoutSessions(Webhooks webhooks, Subscriptions subscriptions) {
        this.webhooks = webhooks;
        this.subscriptions = subscriptions;
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    /**
     * The session {@code cs_test_<client_reference_id>}, opened from the form unless it exists;
     * {@link CheckoutSession.MissingParam} if the form lacks what Stripe requires.
     */
    CheckoutSession open(StripeForm form, String baseUrl) {
        String reference = form.get("client_reference_id");
        String id = PREFIX + (reference == null ? UUID.randomUUID().toString().replace("-", "")
                : reference.replaceAll("[^A-Za-z0-9_-]", "_"));
        return settled(sessions.computeIfAbsent(id, key -> CheckoutSession.open(key, form, baseUrl, now())));
    }

    /** The session as it is now, or null if none has this id. */
    CheckoutSession find(String id) {
        CheckoutSession session = sessions.get(id);
        return session == null ? null : settled(session);
    }

    /** Expires every session whose time has come (and sends its webhook). */
    void sweep() {
        sessions.values().forEach(this::settled);
    }

    private CheckoutSession settled(CheckoutSession session) {
        if (session.expireIfDue(now())) {
            expired(session, "its expires_at passed");
        }
        return session;
    }

    /**
     * Expires the session at once if it is open, as {@code POST /v1/checkout/sessions/{id}/expire}
     * does (and a vendor's "Expire" in Stripe's dashboard): the same {@code checkout.session.expired}
     * as an expiry by time, and only one, whichever comes first. Completes with whether the webhook
     * was delivered; null if the session was not open (paid, or expired already), which Stripe refuses.
     */
    CompletableFuture<Boolean> expire(CheckoutSession session) {
        if (!settled(session).expire()) {
            return null;
        }
        return expired(session, "through the API");
    }

    private CompletableFuture<Boolean> expired(CheckoutSession session, String how) {
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: Checkout Session {0} expired unpaid ({1})", session.id, how);
        return webhooks.send("checkout.session.expired", session.json());
    }

    /**
     * Pays the session if it is open (in subscription mode: starts its subscription, whose first
     * invoice pays): {@code checkout.session.completed}, unless the customer is a {@code lost.} one.
     * Completes with whether a webhook was delivered (false when none was sent).
     */
    CompletableFuture<Boolean> pay(CheckoutSession session) {
        if (!settled(session).pay()) {
            return CompletableFuture.completedFuture(false);
        }
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: Checkout Session {0} paid", session.id);
        if (session.subscriptionMode()) {
            subscriptions.start(session);
        }
        if (session.customerEmail != null && session.customerEmail.toLowerCase(Locale.ROOT).startsWith("lost.")) {
            LOG.log(System.Logger.Level.INFO, "Stripe stand-in: the webhook of {0} is lost on purpose ({1})", session.id,
                    session.customerEmail);
            return CompletableFuture.completedFuture(false);
        }
        return webhooks.send("checkout.session.completed", session.json());
    }

    /**
     * A declined card on the open session: {@code payment_intent.payment_failed} about its
     * PaymentIntent; the session stays open for another attempt. In subscription mode nothing is
     * sent: no subscription or invoice exists until the card pays, and the page says it was declined.
     */
    CompletableFuture<Boolean> decline(CheckoutSession session, String message) {
        if (!"open".equals(settled(session).status())) {
            return CompletableFuture.completedFuture(false);
        }
        LOG.log(System.Logger.Level.INFO, "Stripe stand-in: a card was declined on Checkout Session {0}", session.id);
        if (session.subscriptionMode()) {
            return CompletableFuture.completedFuture(false);
        }
        return webhooks.send("payment_intent.payment_failed", session.declinedPaymentIntent(message, now()));
    }
}
