package io.dotmac.workflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pauses of the whole process or machine, as a thread that only sleeps sees them (after jHiccup): a
 * garbage-collection pause or a starved core holds every thread, while an event loop's own work holds
 * only its loop. A blocked-thread warning within such a pause says nothing of what the loop was doing.
 */
public final class Hiccups implements AutoCloseable {

    private static final long TICK_MS = 5;
    /** A wake-up this much later than asked is a pause. */
    private static final long PAUSE_MS = 40;

    /** Each pause as {from, to}, in epoch milliseconds (the clock of log records). */
    private final List<long[]> pauses = new CopyOnWriteArrayList<>();
    private final Thread sleeper;
    private volatile boolean running = true;

    public Hiccups() {
        sleeper = new Thread(() -> {
            while (running) {
                long before = System.currentTimeMillis();
                try {
                    Thread.sleep(TICK_MS);
                } catch (InterruptedException e) {
                    return;
                }
                long after = System.currentTimeMillis();
                if (after - before - TICK_MS > PAUSE_MS) {
                    pauses.add(new long[] {before, after});
                }
            }
        }, "hiccups");
        sleeper.setDaemon(true);
        sleeper.start();
    }

    /** Whether pauses covered at least half of the time from {@code fromMillis} to {@code toMillis}. */
    public boolean cover(long fromMillis, long toMillis) {
        long covered = 0;
        for (long[] pause : pauses) {
            covered += Math.max(0, Math.min(toMillis, pause[1]) - Math.max(fromMillis, pause[0]));
        }
        return covered * 2 >= toMillis - fromMillis;
    }

    @Override
    public void close() {
        running = false;
        sleeper.interrupt();
    }
}
