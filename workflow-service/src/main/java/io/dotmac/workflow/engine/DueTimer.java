package io.dotmac.workflow.engine;

import io.vertx.mutiny.core.Context;
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
    /**
     * Fired this long after the earliest due time: PostgreSQL compares {@code next_wake_at} (in
     * microseconds, by its own clock) with {@code now()}, so a claim made at the very millisecond can
     * find it not due yet. It also gathers what falls due close together into one claim.
     */
    static final long MARGIN_MS = 20;
    /** Claims are at least this far apart, however many executions fall due at different times. */
    static final long MIN_GAP_MS = 50;

    private final Vertx vertx;
    /** The timer's own context, so that a claim's log lines carry no execution's MDC. */
    private final Context context;
    private final Runnable claim;
    private final NavigableSet<Long> due = new TreeSet<>();
    private long timer = -1;
    private long timerAt = Long.MAX_VALUE;
    private long lastFired;
    private boolean stopped;

    DueTimer(Vertx vertx, Runnable claim) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.claim = claim;
    }

    /** An execution falls due at {@code when}: claim then. */
    synchronized void at(Instant when) {
        if (stopped) {
            return;
        }
        due.add(when.toEpochMilli() + 1 + MARGIN_MS);
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

    private void fire() {
        synchronized (this) {
            timer = -1;
            timerAt = Long.MAX_VALUE;
            if (stopped) {
                return;
            }
            long now = System.currentTimeMillis();
            lastFired = now;
            due.headSet(now, true).clear();
            schedule();
        }
        claim.run();
    }

    private void schedule() {
        if (due.isEmpty()) {
            return;
        }
        long at = Math.max(due.first(), lastFired + MIN_GAP_MS);
        if (at >= timerAt) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timerAt = at;
        timer = vertx.setTimer(Math.max(1, at - System.currentTimeMillis()), id -> context.runOnContext(this::fire));
    }
}
