package io.dotmac.sales.provisioning.kubernetes;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs the Kubernetes client's blocking calls on a worker thread, and goes on where the caller was.
 *
 * <p>Why: the provisioner is called inside order processing's transactions, on the event loop that
 * owns their Hibernate Reactive session: a blocking call there would stall every request of that
 * loop, and going on from another thread (a worker, an informer's) would break the session
 * (HR000069). So the work leaves the loop and its outcome comes back on the caller's Vert.x context.
 */
final class OffEventLoop {

    private OffEventLoop() {
    }

    /** The blocking call, run on a worker. */
    static <T> Uni<T> blocking(Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The work, wherever it runs, delivering its outcome on the context of whoever subscribes. */
    static <T> Uni<T> onCallersContext(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            return caller == null ? work : work.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }
}
