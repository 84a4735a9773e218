package io.dotmac.common.idempotency;

import jakarta.enterprise.context.RequestScoped;

/**
 * The request an {@link Idempotent} method serves, as its key's row records it: bound by {@link
 * IdempotentInterceptor} before the method runs, read by {@link IdempotencyService#run} and {@link
 * IdempotencyService#runUnlocked}.
 */
@RequestScoped
class IdempotentRequest {

    record Bound(String key, String method, String path, Object body) {
    }

    private Bound bound;

    void bind(Bound request) {
        bound = request;
    }

    Bound get() {
        if (bound == null) {
            throw new IllegalStateException("IdempotencyService is asked to run outside a method marked @Idempotent");
        }
        return bound;
    }
}
