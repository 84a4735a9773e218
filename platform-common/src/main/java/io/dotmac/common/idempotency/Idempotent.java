package io.dotmac.common.idempotency;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that honours the {@code Idempotency-Key} header (see {@link
 * IdempotencyService}). The key, method and path are the HTTP request's and the body is the
 * method's entity parameter, so the method itself only does its work.
 *
 * <p>By default the key's transaction covers the whole method. A method that must ask other
 * services or wait for admission first, without holding a database connection or the key's row
 * meanwhile, says {@code checksFirst = true} and opens the transaction itself with {@link
 * IdempotencyService#run} once its checks have passed; a refusal by them stores nothing. Work that
 * commits its own parts and resumes where it stopped calls {@link IdempotencyService#runUnlocked}
 * instead, which holds nothing around it and only keeps its answer.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE}) // on a class: each of its methods
@Retention(RetentionPolicy.RUNTIME)
public @interface Idempotent {

    @Nonbinding
    boolean checksFirst() default false;
}
