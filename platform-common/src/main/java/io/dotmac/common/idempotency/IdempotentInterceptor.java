package io.dotmac.common.idempotency;

import io.dotmac.common.error.DomainException.InvalidRequest;
import io.quarkus.arc.ArcInvocationContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * Carries out {@link Idempotent}: the key, method, path and query come from the HTTP request, the
 * body from the method's entity parameter (the one JAX-RS binds to the request's body, not to a
 * path, query or header part or to a context object); then the method runs under the key, or
 * opens it itself when it checks first.
 *
 * <p>Its priority puts it inside the endpoint's bean validation, so a request refused as invalid
 * never opens a transaction or writes a key row.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 900)
class IdempotentInterceptor {

    private static final String RETURN_TYPE = "io.smallrye.mutiny.Uni<jakarta.ws.rs.core.Response>";

    private final IdempotencyService idempotency;
    private final IdempotentRequest current;
    private final HttpServerRequest http;

    IdempotentInterceptor(IdempotencyService idempotency, IdempotentRequest current, HttpServerRequest http) {
        this.idempotency = idempotency;
        this.current = current;
        this.http = http;
    }

    @AroundInvoke
    Object around(InvocationContext context) throws Exception {
        Method method = context.getMethod();
        if (!RETURN_TYPE.equals(method.getGenericReturnType().getTypeName())) {
            // The stored answer is the response: a method answering anything else cannot be replayed.
            throw new IllegalStateException(method + " is @Idempotent but does not return " + RETURN_TYPE);
        }
        String key = http.getHeader(IdempotencyService.HEADER);
        if (key != null && key.length() > IdempotencyService.MAX_KEY_LENGTH) {
            throw new InvalidRequest(IdempotencyService.HEADER + " is longer than " + IdempotencyService.MAX_KEY_LENGTH
                    + " characters");
        }
        current.bind(new IdempotentRequest.Bound(key, http.method().name(), target(http), entityOf(context)));
        if (ArcInvocationContext.findIterceptorBinding(context, Idempotent.class).checksFirst()) {
            return context.proceed();
        }
        return idempotency.run(() -> proceed(context));
    }

    @SuppressWarnings("unchecked") // checked above: the method returns Uni<Response>
    private static Uni<Response> proceed(InvocationContext context) {
        try {
            return (Uni<Response>) context.proceed();
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
    }

    // The path as routed (repeated and trailing slashes do not make another request) and the query.
    private static String target(HttpServerRequest http) {
        String path = http.path().replaceAll("/{2,}", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String query = http.query();
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    private static Object entityOf(InvocationContext context) {
        Method method = context.getMethod();
        Annotation[][] annotations = method.getParameterAnnotations();
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (!bindsARequestPart(annotations[i]) && !isContext(types[i])) {
                return context.getParameters()[i];
            }
        }
        return null;
    }

    private static boolean bindsARequestPart(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (isContext(annotation.annotationType())) {
                return true;
            }
        }
        return false;
    }

    // JAX-RS, Quarkus REST and Vert.x types: parameter annotations, or objects injected without @Context.
    private static boolean isContext(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.startsWith("jakarta.ws.rs") || pkg.startsWith("org.jboss.resteasy.reactive") || pkg.startsWith("io.vertx");
    }
}
