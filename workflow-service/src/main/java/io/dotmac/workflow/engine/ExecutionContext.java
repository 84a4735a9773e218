package io.dotmac.workflow.engine;

import io.dotmac.workflow.execution.ExecutionState;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * Where an execution runs while this instance drives it: a Vert.x duplicated context of its own,
 * whose MDC names the execution ({@code execution_id}, {@code workflow}, {@code tenant_id}) and the
 * step it is at ({@code step}). Quarkus keeps the MDC in the duplicated context's locals, so every
 * log line written on that context carries them, whichever class writes it.
 * <p>
 * An asynchronous call may complete elsewhere: a backoff on a worker thread, a group commit on the
 * context of whichever execution started the batch. The runner therefore comes back to the
 * execution's context after each such call ({@link #resumeHere}); without that, the next step
 * would run, and log, under another execution's MDC or none.
 */
final class ExecutionContext {

    static final String EXECUTION_ID = "execution_id";
    static final String WORKFLOW = "workflow";
    static final String TENANT_ID = "tenant_id";
    static final String STEP = "step";

    private ExecutionContext() {
    }

    /**
     * Subscribes to {@code work} on a new duplicated context (on the caller's event loop, or any
     * when the caller is off Vert.x) whose MDC names the execution.
     */
    static Uni<Void> run(Vertx vertx, ExecutionState s, Supplier<Uni<Void>> work) {
        Context current = Vertx.currentContext();
        Context own = VertxContext.createNewDuplicatedContext(current != null ? current : vertx.getOrCreateContext());
        return Uni.createFrom().deferred(() -> {
            MDC.put(EXECUTION_ID, s.id.toString());
            MDC.put(WORKFLOW, s.definition.name());
            if (s.tenantId != null) {
                MDC.put(TENANT_ID, s.tenantId);
            }
            return work.get();
        }).runSubscriptionOn(task -> on(own, task));
    }

    /**
     * {@code uni}'s item or failure, delivered on the context the caller runs on now (the
     * execution's): at once if it completes there, else queued on it.
     */
    static <T> Uni<T> resumeHere(Uni<T> uni) {
        Context here = Vertx.currentContext();
        return here == null ? uni : uni.emitOn(task -> on(here, task));
    }

    /** {@code work}, subscribed to on a later turn of the caller's context, on a fresh stack. */
    static Uni<Void> nextTurn(Supplier<Uni<Void>> work) {
        Context here = Vertx.currentContext();
        if (here == null) {
            return Uni.createFrom().deferred(work::get);
        }
        return Uni.createFrom().<Void>emitter(emitter -> here.runOnContext(ignored -> emitter.complete(null)))
                .chain(ignored -> work.get());
    }

    static void step(String name) {
        MDC.put(STEP, name);
    }

    static void noStep() {
        MDC.remove(STEP);
    }

    private static void on(Context context, Runnable task) {
        if (Vertx.currentContext() == context) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }
}
