package io.dotmac.workflow;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pauses of the whole process or machine, as a thread that only sleeps sees them (after jHiccup), and
 * the CPU time each event loop had: a garbage-collection pause holds every thread, a starved core holds
 * a loop that has work but no processor, while an event loop's own work holds its loop and uses its
 * processor. A blocked-thread warning within such a pause, or for a loop that ran for less than the
 * checker's limit, says nothing of what the loop did.
 */
public final class Hiccups implements AutoCloseable {

    private static final long TICK_MS = 5;
    /** A wake-up this much later than asked is a pause. */
    private static final long PAUSE_MS = 40;
    private static final String EVENT_LOOP = "vert.x-eventloop-thread-";
    /** Vert.x starts a loop's thread at its first task: looked for again this often, in ticks. */
    private static final int LOOK_FOR_LOOPS = 100;

    /** Each pause as {from, to}, in epoch milliseconds (the clock of log records). */
    private final List<long[]> pauses = new CopyOnWriteArrayList<>();
    /** Per event loop, {epoch millis, its CPU time in nanoseconds} at each tick. */
    private final Map<String, List<long[]>> cpu = new ConcurrentHashMap<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Thread sleeper;
    private volatile boolean running = true;

    public Hiccups() {
        sleeper = new Thread(() -> {
            Map<Long, String> loops = Map.of();
            for (long tick = 0; running; tick++) {
                if (tick % LOOK_FOR_LOOPS == 0) {
                    loops = eventLoops();
                }
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
                for (Map.Entry<Long, String> loop : loops.entrySet()) {
                    long nanos = threads.getThreadCpuTime(loop.getKey());
                    if (nanos >= 0) {
                        cpu.computeIfAbsent(loop.getValue(), name -> Collections.synchronizedList(new ArrayList<>()))
                                .add(new long[] {after, nanos});
                    }
                }
            }
        }, "hiccups");
        sleeper.setDaemon(true);
        sleeper.start();
    }

    /** The event loops' thread ids and names (none when the JVM cannot tell a thread's CPU time). */
    private Map<Long, String> eventLoops() {
        Map<Long, String> loops = new HashMap<>();
        if (threads.isThreadCpuTimeSupported()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (info != null && info.getThreadName().startsWith(EVENT_LOOP)) {
                    loops.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return loops;
    }

    /** Whether pauses covered at least half of the time from {@code fromMillis} to {@code toMillis}. */
    public boolean cover(long fromMillis, long toMillis) {
        long covered = 0;
        for (long[] pause : pauses) {
            covered += Math.max(0, Math.min(toMillis, pause[1]) - Math.max(fromMillis, pause[0]));
        }
        return covered * 2 >= toMillis - fromMillis;
    }

    /**
     * Whether the thread named {@code thread} ran for less than {@code limitMillis} of processor time from
     * {@code fromMillis} to {@code toMillis} (as far as the ticks around them tell): held that long, it
     * waited for a core. False when its CPU time is not known.
     */
    public boolean ranLessThan(String thread, long limitMillis, long fromMillis, long toMillis) {
        List<long[]> ticks = cpu.get(thread);
        if (ticks == null) {
            return false;
        }
        long[] first = null;
        long[] last = null;
        synchronized (ticks) {
            for (long[] tick : ticks) {
                if (tick[0] <= fromMillis) {
                    first = tick;
                } else if (tick[0] >= toMillis) {
                    last = tick;
                    break;
                }
            }
        }
        return first != null && last != null && (last[1] - first[1]) / 1_000_000 < limitMillis;
    }

    @Override
    public void close() {
        running = false;
        sleeper.interrupt();
    }
}
