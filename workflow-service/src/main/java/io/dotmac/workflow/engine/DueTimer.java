package io.dotmac.workflow.engine;

import io.vertx.mutiny.core.Vertx;
import java.time.Instant;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Claims when an execution this instance let go falls due (a retry after a long backoff, the next
 * check of a waiting condition) rather than at the next poll, up to a poll interval later: one
 * Vert.x timer, set for the earliest of the due times it was told of. The poll stays for the rest
 * (what another instance let go, what this one forgot when it held too many).
 */
final class DueTimer {

    /** Due times kept; past it the latest are forgotten, and the poll finds those executions. */
    static final int MAX_KEPT = 10_000;

    private final Vertx vertx;
    private final Runnable claim;
    private final NavigableSet<Long> due = new TreeSet<>();
    private long timer = -1;
    private long timerAt = Long.MAX_VALUE;
    private boolean stopped;

    DueTimer(Vertx vertx, Runnable claim) {
        this.vertx = vertx;
        this.claim = claim;
    }

    /** An execution falls due at {@code when}: claim then. */
    synchronized void at(Instant when) {
        if (stopped) {
            return;
        }
        due.add(when.toEpochMilli());
        if (due.size() > MAX_KEPT) {
            due.pollLast();
        }
        schedule();
    }

    synchronized void stop() {
        stopped = true;
        due.clear();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    // Several due in the same few milliseconds make one claim.
    private void fire() {
        synchronized (this) {
            timer = -1;
            timerAt = Long.MAX_VALUE;
            due.headSet(System.currentTimeMillis() + 5, true).clear();
            schedule();
        }
        claim.run();
    }

    private void schedule() {
        if (due.isEmpty() || due.first() >= timerAt) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timerAt = due.first();
        timer = vertx.setTimer(Math.max(1, timerAt - System.currentTimeMillis()), id -> fire());
    }
}
