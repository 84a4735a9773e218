package io.dotmac.workflow;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pauses of the whole process or machine, as a thread that only sleeps sees them (after jHiccup), and
 * the CPU time and state of each event loop: a garbage-collection pause holds every thread, a starved
 * core holds a loop that is runnable but has no processor, while an event loop's own work holds its
 * loop and uses its processor (or waits on something it took). A blocked-thread warning within such
 * a pause, or for a loop runnable throughout that ran for less than the checker's limit, says nothing
 * of what the loop did.
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
    /** Per event loop, what each tick saw of it. */
    private final Map<String, List<Sample>> samples = new ConcurrentHashMap<>();
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
                    sample(loop.getKey()).ifPresent(sample -> samples.computeIfAbsent(loop.getValue(),
                            name -> Collections.synchronizedList(new ArrayList<>())).add(sample));
                }
            }
        }, "hiccups");
        sleeper.setDaemon(true);
        sleeper.start();
    }

    /**
     * The loop's CPU time and state, with the wall-clock time just before and just after reading them
     * (this thread may itself wait for a core in between).
     */
    private Optional<Sample> sample(long id) {
        long before = System.currentTimeMillis();
        long nanos = threads.getThreadCpuTime(id);
        ThreadInfo info = threads.getThreadInfo(id, 0);
        long after = System.currentTimeMillis();
        return nanos < 0 || info == null ? Optional.empty()
                : Optional.of(new Sample(before, after, nanos, info.getThreadState() == Thread.State.RUNNABLE));
    }

    /** An event loop as one tick saw it: read from {@code before} to {@code after} (epoch millis). */
    private record Sample(long before, long after, long cpuNanos, boolean runnable) {
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
     * Whether the thread named {@code thread} waited for a core from {@code fromMillis} to
     * {@code toMillis}: runnable at every tick in between (not waiting on a lock, a condition or a
     * sleep, which would be the loop's own doing), yet it had less than {@code limitMillis} of
     * processor time, counted between the last tick read wholly before and the first read wholly
     * after. False when the ticks cannot tell.
     */
    public boolean starved(String thread, long limitMillis, long fromMillis, long toMillis) {
        List<Sample> ticks = samples.get(thread);
        if (ticks == null) {
            return false;
        }
        Sample first = null;
        Sample last = null;
        int within = 0;
        synchronized (ticks) {
            for (Sample tick : ticks) {
                if (tick.after() <= fromMillis) {
                    first = tick;
                } else if (tick.before() >= toMillis) {
                    last = tick;
                    break;
                } else if (tick.runnable()) {
                    within++;
                } else {
                    return false;
                }
            }
        }
        return first != null && last != null && within > 0 && (last.cpuNanos() - first.cpuNanos()) / 1_000_000 < limitMillis;
    }

    @Override
    public void close() {
        running = false;
        sleeper.interrupt();
    }
}
