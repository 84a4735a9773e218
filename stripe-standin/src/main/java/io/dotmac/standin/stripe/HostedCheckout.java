package io.dotmac.standin.stripe;

import static io.dotmac.standin.stripe.Answers.awaitBriefly;
import static io.dotmac.standin.stripe.Answers.html;
import static io.dotmac.standin.stripe.Answers.json;
import static io.dotmac.standin.stripe.Answers.stripeError;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stripe's hosted Checkout, stood in for inside WireMock, so that a customer can really pay (or be
 * declined) on the page of a Checkout Session and the service that opened it hears of it the way
 * it hears from Stripe, by signed webhook. A response transformer, {@value #NAME}, that the
 * stub's mappings route these requests to:
 * <ul>
 *   <li>{@code POST /v1/checkout/sessions}: opens a session ({@code cs_test_<client_reference_id>},
 *       the same one when asked again), Stripe's JSON for it;</li>
 *   <li>{@code GET /v1/checkout/sessions/{id}}: the session as it is now (open, complete and
 *       paid, expired), or Stripe's 404 {@code resource_missing};</li>
 *   <li>{@code POST /v1/checkout/sessions/{id}/expire}: expires an open session at once (as a
 *       vendor does in Stripe's dashboard), sends {@code checkout.session.expired} as an expiry by
 *       time does, and answers with the session, {@code expired}; one that is not open (paid, or
 *       expired already) is Stripe's 400 {@code invalid_request_error}; sent again with its
 *       {@code Idempotency-Key}, the first answer;</li>
 *   <li>{@code GET /checkout/pay/{id}}: its page (see {@link CheckoutPage});</li>
 *   <li>{@code POST /checkout/pay/{id}/pay}: pays it, sends {@code checkout.session.completed}, 303 to
 *       its success URL;</li>
 *   <li>{@code POST /checkout/pay/{id}/decline}: a declined card, sends
 *       {@code payment_intent.payment_failed} (in payment mode), the page again with the decline
 *       (the session stays open).</li>
 * </ul>
 * A session in subscription mode starts a subscription when paid; Stripe Billing's routes, its
 * test clock and its hosted invoice pages are {@link SubscriptionRoutes}'.
 * A session left unpaid past its {@code expires_at} expires and sends {@code checkout.session.expired},
 * and a subscription's pending update lapses likewise (a sweep every second). The answer to Pay or
 * Decline waits a few seconds for its webhooks ({@link Answers#awaitBriefly}), so a customer sent
 * to the success page usually finds the payment recorded; the retries of a failing endpoint go on
 * in the background.
 *
 * <p>In-process: {@code WireMockConfiguration.options().extensions(new HostedCheckout(webhookUrl, secret))}.
 * Standalone ({@code wiremock.Run --extensions io.dotmac.standin.stripe.HostedCheckout}): the
 * endpoint and its secret come from {@value #WEBHOOK_URL_ENV} and {@value #WEBHOOK_SECRET_ENV}.
 */
public final class HostedCheckout implements ResponseDefinitionTransformerV2 {

    /** The transformer's name in the mappings. */
    public static final String NAME = "stripe-hosted-checkout";
    /** The API version of the events sent: stripe-java 33.3.0's {@code Stripe.API_VERSION}. */
    public static final String API_VERSION = "2026-07-29.dahlia";
    /** Where the standalone stand-in sends its webhooks (unset: none are sent). */
    public static final String WEBHOOK_URL_ENV = "STRIPE_STANDIN_WEBHOOK_URL";
    /** The endpoint's signing secret, as the receiving service knows it too. */
    public static final String WEBHOOK_SECRET_ENV = "STRIPE_WEBHOOK_SECRET";
    /** What a declined card says, on the page and in the PaymentIntent's last_payment_error. */
    public static final String DECLINED = "Your card was declined.";

    private static final System.Logger LOG = System.getLogger(HostedCheckout.class.getName());
    private static final Pattern SESSION = Pattern.compile("/v1/checkout/sessions/([^/]+)");
    private static final Pattern EXPIRE = Pattern.compile("/v1/checkout/sessions/([^/]+)/expire");
    private static final Pattern PAGE = Pattern.compile("/checkout/pay/([^/]+)(?:/(pay|decline))?");

    private final Webhooks webhooks;
    private final CheckoutSessions sessions;
    private final Subscriptions billing;
    private final SubscriptionRoutes subscriptions;
    private final IdempotentRequests idempotent = new IdempotentRequests();
    private ScheduledExecutorService sweeper;

    /** Standalone: configured by {@value #WEBHOOK_URL_ENV} and {@value #WEBHOOK_SECRET_ENV}. */
    public HostedCheckout() {
        this(System.getenv(WEBHOOK_URL_ENV), System.getenv(WEBHOOK_SECRET_ENV));
    }

    /**
     * @param webhookUrl where webhooks go (e.g. {@code http://127.0.0.1:8083/api/v1/billing/webhooks/stripe});
     *                   null: none are sent until {@link #sendWebhooksTo(String)} names it
     * @param webhookSecret the endpoint's signing secret ({@code whsec_...})
     */
    public HostedCheckout(String webhookUrl, String webhookSecret) {
        this.webhooks = new Webhooks(webhookUrl, webhookSecret);
        this.billing = new Subscriptions(webhooks);
        this.sessions = new CheckoutSessions(webhooks, billing);
        this.subscriptions = new SubscriptionRoutes(billing);
    }

    /** Sends the webhooks from now on to {@code webhookUrl} (null: nowhere), for a receiver whose port is known late. */
    public void sendWebhooksTo(String webhookUrl) {
        webhooks.sendTo(webhookUrl);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized void start() {
        if (sweeper == null) {
            sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "stripe-standin-expiry");
                thread.setDaemon(true);
                return thread;
            });
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    sessions.sweep();
                    billing.sweep();
                } catch (RuntimeException e) {
                    // One failed round must not end the schedule.
                    LOG.log(System.Logger.Level.WARNING, "Stripe stand-in: the expiry sweep failed", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops the expiry sweep and the webhook sender, for good. WireMockServer.stop() does not call
     * it (only an admin shutdown does): whoever registered the extension in-process calls it.
     */
    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        webhooks.stop();
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        LoggedRequest request = serveEvent.getRequest();
        String path = URI.create(request.getUrl()).getPath();
        RequestMethod method = request.getMethod();
        Matcher session = SESSION.matcher(path);
        Matcher expire = EXPIRE.matcher(path);
        Matcher page = PAGE.matcher(path);
        if (method.equals(RequestMethod.POST) && path.equals("/v1/checkout/sessions")) {
            return create(request);
        }
        if (method.equals(RequestMethod.POST) && expire.matches()) {
            return idempotent.answer(request, path, () -> expire(expire.group(1)));
        }
        if (method.equals(RequestMethod.GET) && session.matches()) {
            CheckoutSession found = sessions.find(session.group(1));
            return found == null ? Answers.missing("checkout.session", session.group(1), "session")
                    : json(200, found.json());
        }
        if (page.matches()) {
            CheckoutSession found = sessions.find(page.group(1));
            if (found == null) {
                return html(404, CheckoutPage.notFound(page.group(1)));
            }
            if (method.equals(RequestMethod.GET) && page.group(2) == null) {
                return html(200, CheckoutPage.render(found, null));
            }
            if (method.equals(RequestMethod.POST) && "pay".equals(page.group(2))) {
                return pay(found);
            }
            if (method.equals(RequestMethod.POST) && "decline".equals(page.group(2))) {
                awaitBriefly(sessions.decline(found, DECLINED));
                return html(200, CheckoutPage.render(found, "open".equals(found.status()) ? DECLINED : null));
            }
        }
        ResponseDefinition billing = subscriptions.answer(request, method, path);
        return billing != null ? billing : stripeError(404, null, "Unrecognized request URL (" + method + ": " + path + ").", null);
    }

    private ResponseDefinition create(LoggedRequest request) {
        URI url = URI.create(request.getAbsoluteUrl());
        try {
            return json(200, sessions.open(StripeForm.parse(request.getBodyAsString()),
                    url.getScheme() + "://" + url.getRawAuthority()).json());
        } catch (CheckoutSession.MissingParam e) {
            return stripeError(400, "parameter_missing", e.getMessage(), e.param);
        } catch (CheckoutSession.InvalidParam e) {
            return stripeError(400, "parameter_invalid", e.getMessage(), e.param);
        } catch (NumberFormatException e) {
            return stripeError(400, "parameter_invalid_integer", "Invalid integer: " + e.getMessage(), null);
        }
    }

    /** Expires an open session now (its webhook tried before the answer); Stripe's 400 for one that is not open. */
    private ResponseDefinition expire(String id) {
        CheckoutSession found = sessions.find(id);
        if (found == null) {
            return Answers.missing("checkout.session", id, "session");
        }
        CompletableFuture<Boolean> delivery = sessions.expire(found);
        if (delivery == null) {
            // Stripe's own words for a session it cannot expire.
            return stripeError(400, null, "Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout "
                    + "Session has a status of `" + found.status() + "`.", null);
        }
        awaitBriefly(delivery);
        return json(200, found.json());
    }

    /** Pays an open session and sends the customer on; a paid one is only sent on, an expired one shown. */
    private ResponseDefinition pay(CheckoutSession session) {
        awaitBriefly(sessions.pay(session));
        if (!"complete".equals(session.status()) || session.successUrl == null) {
            return html(200, CheckoutPage.render(session, null));
        }
        return ResponseDefinitionBuilder.responseDefinition().withStatus(303)
                .withHeader("Location", session.successUrl.replace("{CHECKOUT_SESSION_ID}", session.id)).build();
    }
}
