package io.dotmac.sales.support;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs work in a Hibernate Reactive session and transaction of its own, committed when the work
 * ends whatever becomes of the caller's transaction.
 *
 * <p>Why: order processing must keep each provisioning part it finished (and the failure that
 * stopped it) so that the next attempt resumes after them, whatever transaction its caller has open
 * and whatever becomes of it. Panache keeps one session per Vert.x context, so the work runs on a
 * fresh duplicated context of the same event loop (same thread: a caller's session stays untouched
 * and idle meanwhile) and the result comes back on the caller's context.
 */
@ApplicationScoped
public class SeparateTransaction {

    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            if (caller == null) {
                return Uni.createFrom().failure(new IllegalStateException("a separate transaction needs a Vert.x context"));
            }
            Context own = VertxContext.createNewDuplicatedContext(caller);
            // A fresh duplicated context is isolated from any other request: Panache may keep a session on it.
            VertxContextSafetyToggle.setContextSafe(own, true);
            return Uni.createFrom().<T>emitter(emitter -> own.runOnContext(ignored ->
                            Panache.withTransaction(work).subscribe().with(emitter::complete, emitter::fail)))
                    .emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }
}
