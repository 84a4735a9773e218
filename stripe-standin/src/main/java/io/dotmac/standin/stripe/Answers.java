package io.dotmac.standin.stripe;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How the stand-in answers, as Stripe does: its JSON, its errors, its pages; shared by its routes. */
final class Answers {

    private static final long WEBHOOK_WAIT_SECONDS = 3;

    private Answers() {
    }

    /**
     * Waits up to {@value #WEBHOOK_WAIT_SECONDS} seconds for a webhook's delivery, so that whoever
     * is answered next usually finds it applied; a slow or failing endpoint is retried in the background.
     */
    static void awaitBriefly(CompletableFuture<Boolean> delivery) {
        try {
            delivery.get(WEBHOOK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Logged by the sender; the caller is answered all the same.
        }
    }

    static ResponseDefinition json(int status, Map<String, Object> body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14))
                .withBody(StripeJson.write(body)).build();
    }

    /** Stripe's error JSON: {@code {"error": {"type": "invalid_request_error", "code", "message", "param"}}}. */
    static ResponseDefinition stripeError(int status, String code, String message, String param) {
        return stripeError(status, "invalid_request_error", code, message, param);
    }

    /** Stripe's error JSON of another type ({@code idempotency_error}: stripe-java's IdempotencyException). */
    static ResponseDefinition stripeError(int status, String type, String code, String message, String param) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("type", type);
        return json(status, Map.of("error", error));
    }

    /** Stripe's 404 for an object it does not have. */
    static ResponseDefinition missing(String object, String id, String param) {
        return stripeError(404, "resource_missing", "No such " + object + ": '" + id + "'", param);
    }

    static ResponseDefinition html(int status, String page) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "text/html; charset=utf-8").withHeader("Cache-Control", "no-store")
                .withBody(page).build();
    }
}
