package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * How many calls out of the engine (service calls, condition refreshes, undos) this instance has
 * under way at once, and whose goes next. Past {@code workflow.max-concurrent-calls}, a call waits
 * in its tenant's queue, and a freed place goes to the tenants in turn: a tenant with a thousand
 * calls queued delays another tenant's next call by about one call, not by its whole queue. The
 * in-flight limit alone cannot do that: within it, a flooding tenant's executions would fill the
 * CPU, the HTTP client and the connection pool, whose queues serve in arrival order.
 */
@ApplicationScoped
class CallGate {

    private final int places;
    private final Map<String, ArrayDeque<Waiter>> queued = new LinkedHashMap<>();
    private int taken;

    @Inject
    CallGate(EngineConfig config) {
        this(config.maxConcurrentCalls());
    }

    CallGate(int places) {
        this.places = places;
    }

    /** {@code call}, subscribed to once a place is the tenant's; the place is given back when it ends, fails or is cancelled. */
    <T> Uni<T> run(String tenantId, Supplier<Uni<? extends T>> call) {
        return Uni.createFrom().<Place>emitter(emitter -> {
            Waiter waiter = new Waiter(emitter, Vertx.currentContext());
            emitter.onTermination(waiter::cancel);
            enter(tenantId == null ? "" : tenantId, waiter);
        }).chain(place -> Uni.createFrom().<T>deferred(call).onTermination().invoke(place::leave));
    }

    private void enter(String tenant, Waiter waiter) {
        synchronized (this) {
            if (taken >= places) {
                queued.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(waiter);
                return;
            }
            taken++;
        }
        waiter.admit(new Place());
    }

    private void leave() {
        Waiter next;
        do {
            synchronized (this) {
                next = nextInTurn();
                if (next == null) {
                    taken--;
                    return;
                }
            }
            // A waiter cancelled meanwhile refuses the place, and it goes to the next one.
        } while (!next.admit(new Place()));
    }

    // The first tenant in line gives its first waiter and goes to the back of the line.
    private Waiter nextInTurn() {
        Iterator<Map.Entry<String, ArrayDeque<Waiter>>> line = queued.entrySet().iterator();
        if (!line.hasNext()) {
            return null;
        }
        Map.Entry<String, ArrayDeque<Waiter>> first = line.next();
        line.remove();
        Waiter next = first.getValue().poll();
        if (!first.getValue().isEmpty()) {
            queued.put(first.getKey(), first.getValue());
        }
        return next;
    }

    /** One place in the gate, given back once. */
    private final class Place {
        private final AtomicBoolean left = new AtomicBoolean();

        void leave() {
            if (left.compareAndSet(false, true)) {
                CallGate.this.leave();
            }
        }
    }

    /** A call waiting for a place; admitted on the context it asked from, so that it runs, and logs, as its execution. */
    private static final class Waiter {
        private final UniEmitter<? super Place> emitter;
        private final Context context;
        // Set by whichever comes first: the place, or the caller giving up.
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile boolean gaveUp;

        Waiter(UniEmitter<? super Place> emitter, Context context) {
            this.emitter = emitter;
            this.context = context;
        }

        boolean admit(Place place) {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            if (context == null || Vertx.currentContext() == context) {
                emitter.complete(place);
            } else {
                context.runOnContext(ignored -> {
                    if (gaveUp) {
                        place.leave();
                    } else {
                        emitter.complete(place);
                    }
                });
            }
            return true;
        }

        // Also called once the place is taken and the call ends; by then it changes nothing.
        void cancel() {
            gaveUp = true;
            settled.set(true);
        }
    }
}
