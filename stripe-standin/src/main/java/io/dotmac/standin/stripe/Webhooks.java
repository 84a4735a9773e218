package io.dotmac.standin.stripe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends Stripe's webhook events to the endpoint, as Stripe does: the event JSON, signed in
 * {@code Stripe-Signature} ({@code t=<unix>,v1=<hex HMAC-SHA256(secret, t.payload)>}, signed again
 * at each attempt), retried with a backoff while the endpoint fails or answers other than 2xx.
 * One background thread sends them, in the order they happened; the caller may wait a little for
 * the delivery, never for long. Without an endpoint or a secret nothing is sent (said once).
 */
final class Webhooks {

    private static final System.Logger LOG = System.getLogger(Webhooks.class.getName());
    /** The pauses before the second, third and fourth attempt; then the event is given up (logged). */
    private static final Duration[] BACKOFF = {Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(3)};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stripe-standin-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean saidDisabled = new AtomicBoolean();
    private final String secret;
    private volatile String url;

    Webhooks(String url, String secret) {
        this.url = blankToNull(url);
        this.secret = blankToNull(secret);
        off(this.url);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Whether webhooks to {@code target} are off (no endpoint or no secret); says so the first time. */
    private boolean off(String target) {
        boolean off = target == null || secret == null;
        if (off && saidDisabled.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Stripe stand-in: no webhook is sent: no {0} is configured ({1} when standalone)",
                    target == null ? "endpoint URL" : "signing secret",
                    target == null ? HostedCheckout.WEBHOOK_URL_ENV : HostedCheckout.WEBHOOK_SECRET_ENV);
        }
        return off;
    }

    /** Sends to {@code url} from now on (null: nowhere). */
    void sendTo(String url) {
        this.url = blankToNull(url);
        saidDisabled.set(false);
    }

    /**
     * Sends the event of this type about the object; completes with whether the endpoint took it
     * (false at once when webhooks are off).
     */
    CompletableFuture<Boolean> send(String type, Map<String, Object> object) {
        String target = url;
        if (off(target)) {
            return CompletableFuture.completedFuture(false);
        }
        String payload = event(type, object);
        try {
            return CompletableFuture.supplyAsync(() -> deliver(target, type, payload), sender);
        } catch (RejectedExecutionException stopped) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private boolean deliver(String target, String type, String payload) {
        for (int attempt = 0; ; attempt++) {
            String outcome = attempt(target, payload);
            if (outcome == null) {
                LOG.log(System.Logger.Level.INFO, "Stripe stand-in: {0} delivered to {1}", type, target);
                return true;
            }
            if (attempt == BACKOFF.length) {
                LOG.log(System.Logger.Level.WARNING, "Stripe stand-in: {0} to {1} given up after {2} attempts: {3}", type,
                        target, attempt + 1, outcome);
                return false;
            }
            LOG.log(System.Logger.Level.INFO, "Stripe stand-in: {0} to {1} failed ({2}); trying again", type, target, outcome);
            try {
                Thread.sleep(BACKOFF[attempt].toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** One attempt: null when the endpoint took it, else what went wrong. */
    private String attempt(String target, String payload) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(target))
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/json; charset=utf-8")
                            .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks) stand-in")
                            .header("Stripe-Signature", StripeSignature.of(payload, secret, Instant.now().getEpochSecond()))
                            .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() / 100 == 2 ? null : "HTTP " + answer.statusCode() + " " + answer.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String event(String type, Map<String, Object> object) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", null);
        request.put("idempotency_key", null);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""));
        event.put("object", "event");
        event.put("api_version", HostedCheckout.API_VERSION);
        event.put("created", Instant.now().getEpochSecond());
        event.put("data", Map.of("object", object));
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        event.put("request", request);
        event.put("type", type);
        return StripeJson.write(event);
    }

    void stop() {
        sender.shutdownNow();
    }
}
