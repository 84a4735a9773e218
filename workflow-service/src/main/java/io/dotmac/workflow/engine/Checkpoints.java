package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LeaseLostException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes a driven execution through the {@link ExecutionStore} and reads its cancel flag between
 * writes: the decider says when ({@link Decider#writeAfter}), this carries it out. A write or read
 * after which the execution goes on notes the cancel flag it brought on the state, for the next
 * decision; a write where the driver stops (a wait, a released backoff, the end) needs none.
 */
@ApplicationScoped
class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class);

    private final ExecutionStore store;
    private final EngineConfig config;
    private final Vertx vertx;
    private final Event<ExecutionFinished> finished;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();

    Checkpoints(ExecutionStore store, EngineConfig config, Vertx vertx, Event<ExecutionFinished> finished) {
        this.store = store;
        this.config = config;
        this.vertx = vertx;
        this.finished = finished;
        this.interval = config.checkpointInterval();
    }

    /** A step ended at {@code at}: what is unwritten is due to be written {@code workflow.checkpoint-interval} after the oldest. */
    void stepEnded(ExecutionState s, Instant at) {
        if (s.unwrittenSince == null) {
            s.unwrittenSince = at;
        }
    }

    /** When what is unwritten is to be written at the latest (there is some). */
    Instant writeDueAt(ExecutionState s) {
        return s.unwrittenSince.plus(interval);
    }

    /** Writes the execution and notes its cancel flag, then goes on with {@code then} (which decides on it). */
    Uni<Void> writeThen(ExecutionState s, Supplier<Uni<Void>> then) {
        return noteCancelThen(s, write(s), then);
    }

    /** Reads the cancel flag only (what is unwritten stays so), then goes on with {@code then}. */
    Uni<Void> readCancelThen(ExecutionState s, Supplier<Uni<Void>> then) {
        return noteCancelThen(s, cancelFlag(s), then);
    }

    /** Writes the execution where it stops being driven (it waits, or backs off without its lease). */
    Uni<Void> checkpoint(ExecutionState s) {
        return write(s).replaceWithVoid();
    }

    /** Writes the ended execution and says so to whoever listens ({@link ExecutionFinished}). */
    Uni<Void> finish(ExecutionState s) {
        return write(s).invoke(() -> finished.fire(new ExecutionFinished(s.id, s.definition.name(), s.definition.version(),
                s.tenantId, s.status, s.runningTimeMs))).replaceWithVoid();
    }

    /**
     * The call's outcome; if it runs past the time the unwritten steps before it are due to be
     * written, they are written meanwhile, so that a call that hangs does not hide what was done
     * before it. The step goes on once that write has ended: an execution has one write at a time.
     */
    Uni<StepOutcome> writingWhileItRuns(ExecutionState s, Uni<StepOutcome> call) {
        if (s.unwrittenSince == null) {
            return call;
        }
        return Uni.createFrom().deferred(() -> {
            long delay = Math.max(1, Duration.between(clock.instant(), writeDueAt(s)).toMillis());
            // Set and read on the execution's context only: the timer fires there, the call's outcome comes back there.
            AtomicReference<Uni<Void>> written = new AtomicReference<>();
            long timer = vertx.setTimer(delay, id -> {
                Uni<Void> write = write(s).invoke(cancel -> s.cancelRequested |= cancel).replaceWithVoid()
                        .memoize().indefinitely();
                write.subscribe().with(ignored -> { }, failure -> { });
                written.set(write);
            });
            return call.onTermination().invoke(() -> vertx.cancelTimer(timer))
                    .call(() -> written.get() == null ? Uni.createFrom().voidItem() : ExecutionContext.resumeHere(written.get()));
        });
    }

    /**
     * Writes the execution as it is now; emits its cancel flag. What it wrote counts as written once
     * committed: nothing else happens to the execution meanwhile, as its driver waits for the write.
     */
    private Uni<Boolean> write(ExecutionState s) {
        return ExecutionContext.resumeHere(store.checkpoint(s, config.leaseDuration())).invoke(() -> {
            s.unwrittenSince = null;
            s.callsUnwritten = false;
        });
    }

    // A read that fails (a dropped connection) writes instead, which the write batcher tries again:
    // the failure must not end the execution with its unwritten steps.
    private Uni<Boolean> cancelFlag(ExecutionState s) {
        return ExecutionContext.resumeHere(store.cancelRequested(s.id, s.leaseToken))
                .onFailure(failure -> !(failure instanceof LeaseLostException)).recoverWithUni(failure -> {
                    LOG.warnf("execution %s: its cancel flag could not be read (%s); writing it instead", s.id, failure.getMessage());
                    return write(s);
                });
    }

    private static Uni<Void> noteCancelThen(ExecutionState s, Uni<Boolean> cancelFlag, Supplier<Uni<Void>> then) {
        return cancelFlag.chain(cancel -> {
            s.cancelRequested |= cancel;
            return then.get();
        });
    }
}
