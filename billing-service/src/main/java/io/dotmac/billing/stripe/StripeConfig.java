package io.dotmac.billing.stripe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How this service reaches Stripe ({@code billing.stripe.*}). The key and the webhook secret come
 * from the environment and are never committed; without them the service still starts.
 */
@ConfigMapping(prefix = "billing.stripe")
public interface StripeConfig {

    /** The secret API key ({@code STRIPE_SECRET_KEY}); absent: payments answer 503. */
    Optional<String> apiKey();

    /**
     * Whether a live-mode key ({@code sk_live_}, {@code rk_live_}) may be used
     * ({@code STRIPE_ALLOW_LIVE}); off, the service refuses to start with one, so that no test or
     * local setup can take real money by a pasted key.
     */
    @WithDefault("false")
    boolean allowLive();

    /** Stripe's API, or a local stub of it ({@code STRIPE_API_BASE}); a live key only ever goes to Stripe's own. */
    @WithDefault("https://api.stripe.com")
    String apiBase();

    /** The webhook endpoint's signing secret ({@code STRIPE_WEBHOOK_SECRET}); absent: webhooks answer 503. */
    Optional<String> webhookSecret();

    /** How old a webhook's signed timestamp may be (Stripe's default tolerance). */
    @WithDefault("300s")
    Duration webhookTolerance();

    /**
     * The payment method PaymentIntents are confirmed with, off-session ({@code pm_card_visa} in
     * test mode); absent: they are created unconfirmed and the webhook reports the outcome.
     */
    Optional<String> paymentMethod();

    /** Stripe Checkout: the hosted page customers pay on when no payment method is configured. */
    Checkout checkout();

    interface Checkout {

        /** How long a customer has to pay on the page (Stripe allows 30 minutes to 24 hours; a stand-in, 10 s at least). */
        @WithDefault("24h")
        Duration expiry();

        /**
         * Where Stripe sends the customer once paid; the session's id is added as {@code session_id}
         * (Stripe fills in its {CHECKOUT_SESSION_ID}, which is kept out of the configuration's own
         * {@code ${...}} syntax).
         */
        @WithDefault("https://controlplane.local/checkout/paid")
        String successUrl();

        /** Where the page's "back" link goes; absent: none. */
        Optional<String> cancelUrl();
    }

    /** stripe-java's own retries of network errors, 409 and 5xx, with the same Idempotency-Key. */
    @WithDefault("2")
    int maxNetworkRetries();

    @WithDefault("10s")
    Duration connectTimeout();

    @WithDefault("30s")
    Duration readTimeout();
}
