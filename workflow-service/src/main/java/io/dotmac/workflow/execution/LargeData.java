package io.dotmac.workflow.execution;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Where the engine handles a tenant's data: on the event loop while it is small, on a worker thread
 * once it is large. Counting, writing or reading a context of a few kilobytes takes microseconds, and
 * a hop to a worker and back would cost more than that; a context near its megabyte limit (or one
 * that shares a value under many keys, so that its JSON is far larger than its objects) takes
 * milliseconds, and on a busy machine hundreds, during which every execution and request on that
 * loop waits.
 */
public final class LargeData {

    /** Data up to this size, as JSON, is handled where it is (the event loop). */
    public static final long INLINE_BYTES = 64 * 1024;

    private LargeData() {
    }

    public static boolean large(long bytes) {
        return bytes > INLINE_BYTES;
    }

    /**
     * {@code work}'s result: computed here when {@code bytes} (the size of the data it handles) is small
     * or the caller is not on an event loop, else on a worker thread, with the result delivered back on
     * the caller's context (and so its MDC). A failure thrown by {@code work} is the Uni's failure.
     */
    public static <T> Uni<T> handle(long bytes, Supplier<T> work) {
        Context here = Vertx.currentContext();
        if (!large(bytes) || here == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(work);
        }
        return Uni.createFrom().completionStage(() -> here.executeBlocking(work::get, false).toCompletionStage());
    }
}
