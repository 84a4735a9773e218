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
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.PaymentIntentCreateParams;
import io.dotmac.common.rest.ProblemException;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The one place that calls Stripe, through stripe-java's {@link StripeClient} built from
 * {@link StripeConfig} (its own instance: no global {@code Stripe.apiKey}). stripe-java blocks, so
 * every call runs on a worker thread through {@link Vertx#executeBlocking(Uni, boolean)}, started
 * from the caller's Vert.x context: the result comes back on that context, where the caller's
 * Hibernate Reactive session and transaction go on.
 *
 * <p>Each POST carries an Idempotency-Key derived from the payment ({@code <prefix>:customer},
 * {@code <prefix>:payment_intent}); stripe-java resends it on its own retries, and so does a later
 * attempt for the same payment, so Stripe creates one customer and one PaymentIntent per payment
 * however often it is asked.
 */
@ApplicationScoped
@Startup // a refused key stops the service at start, not at its first payment
public class StripeGateway {

    private static final Logger LOG = Logger.getLogger(StripeGateway.class);
    static final String STRIPE_API = "https://api.stripe.com";

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
        }
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
        if (!STRIPE_API.equals(apiBase.replaceAll("/+$", ""))) {
            throw new IllegalStateException("STRIPE_SECRET_KEY is a live-mode key and STRIPE_API_BASE is " + apiBase
                    + ", not " + STRIPE_API + ": refusing to send a live key anywhere but Stripe");
        }
    }

    /** 503 unless an API key is configured; checked before anything is recorded. */
    public void requireConfigured() {
        if (client == null) {
            throw new ProblemException(503, "Stripe is not configured on this billing-service (set STRIPE_SECRET_KEY); "
                    + "no payment was recorded");
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
            throw translate(request, e);
        }
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

    private static ProblemException translate(ChargeRequest request, StripeException e) {
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : e.getMessage();
        LOG.warnf("Stripe call for payment %s failed: %s %s (request %s)", request.paymentId(),
                e.getStatusCode(), message, e.getRequestId());
        if (e instanceof IdempotencyException) {
            return new ProblemException(409, "Stripe refused the request for payment " + request.paymentId() + ": " + message);
        }
        if (e instanceof InvalidRequestException) {
            return new ProblemException(422, "Stripe refused the request for payment " + request.paymentId() + ": " + message);
        }
        if (e instanceof AuthenticationException || e instanceof PermissionException) {
            return new ProblemException(503, "Stripe refused the configured API key (" + message + "); the payment stays "
                    + "pending and the request may be retried with the same Idempotency-Key");
        }
        // Network errors, rate limits and Stripe's 5xx, still failing after stripe-java's retries.
        String what = e instanceof ApiConnectionException ? "Stripe could not be reached"
                : e instanceof RateLimitException ? "Stripe is rate limiting this account"
                : "Stripe failed (HTTP " + e.getStatusCode() + ")";
        return new ProblemException(503, what + ": " + message + "; the payment stays pending and is retryable: "
                + "retry with the same Idempotency-Key, Stripe will not charge twice");
    }
}
