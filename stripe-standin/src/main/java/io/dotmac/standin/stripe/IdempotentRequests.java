package io.dotmac.standin.stripe;

import static io.dotmac.standin.stripe.Answers.stripeError;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stripe's idempotent requests, so that a request retried with its {@code Idempotency-Key} (as
 * stripe-java retries, and as billing keys a change) is not done twice: sent again with the same
 * key, method, path and parameters, it is answered with the first answer, marked
 * {@code Idempotent-Replayed: true}; with others, Stripe's 400 {@code idempotency_error}; while the
 * first is still being answered, Stripe's 409 (which stripe-java retries). As on Stripe, only an
 * answer of a request that was carried out (2xx here) is kept: one refused (400) may be sent again
 * with its key. Keys are kept for the stand-in's life (Stripe's, 24 hours).
 */
final class IdempotentRequests {

    private record First(String request, CompletableFuture<ResponseDefinition> answer) {
    }

    private final Map<String, First> firsts = new ConcurrentHashMap<>();

    /** The answer to the request: {@code carryOut}'s, or the first one's if its key was used before. */
    ResponseDefinition answer(LoggedRequest request, String path, Supplier<ResponseDefinition> carryOut) {
        String key = request.getHeader("Idempotency-Key");
        if (key == null || key.isBlank()) {
            return carryOut.get();
        }
        First mine = new First(request.getMethod() + " " + path + "\n" + request.getBodyAsString(), new CompletableFuture<>());
        First first = firsts.putIfAbsent(key, mine);
        if (first != null) {
            return replay(key, first, mine.request());
        }
        ResponseDefinition answer;
        try {
            answer = carryOut.get();
        } catch (RuntimeException e) {
            // Not carried out: the key is free again (whoever asked meanwhile was told 409, to retry).
            firsts.remove(key, mine);
            throw e;
        }
        if (answer.getStatus() / 100 != 2) {
            firsts.remove(key, mine);
        }
        mine.answer().complete(answer);
        return answer;
    }

    private static ResponseDefinition replay(String key, First first, String request) {
        if (!first.request().equals(request)) {
            return stripeError(400, "idempotency_error", null, "Keys for idempotent requests can only be used with the same "
                    + "parameters they were first used with. Try using a key other than '" + key + "' if you meant to execute a "
                    + "different request.", null);
        }
        ResponseDefinition answer = first.answer().getNow(null);
        if (answer == null) {
            return stripeError(409, "invalid_request_error", "idempotency_key_in_use", "There is currently another in-progress "
                    + "request using this Idempotent Key (that probably means you submitted twice, and the other request is still "
                    + "going through): " + key + ". Please try again later.", null);
        }
        return ResponseDefinitionBuilder.like(answer).but().withHeader("Idempotent-Replayed", "true").build();
    }
}
