package io.dotmac.workflow.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits a tenant's starts within its quotas: a rate (a token bucket per tenant, per instance) and a
 * number of executions WAITING at once (counted in the database, at most once a few seconds per
 * tenant). One tenant's flood of starts is refused at its own door instead of filling the engine.
 */
@ApplicationScoped
public class StartQuota {

    /** How stale a tenant's count of waiting executions may be. */
    private static final long WAITING_COUNT_TTL_NANOS = Duration.ofSeconds(5).toNanos();
    private static final Duration WAITING_RETRY_AFTER = Duration.ofSeconds(30);
    // The status IN (...) is the partial index's condition (V8), so that the count reads the index.
    private static final String COUNT_WAITING = """
            SELECT count(*) FROM workflow_executions
             WHERE coalesce(tenant_id, '') = coalesce($1, '') AND status IN ('pending', 'running', 'waiting')
               AND status = 'waiting'""";

    private final TenantQuotas quotas;
    private final Pool pool;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Count> waiting = new ConcurrentHashMap<>();

    StartQuota(TenantQuotas quotas, Pool pool) {
        this.quotas = quotas;
        this.pool = pool;
    }

    /** Emits when a start of the tenant may go ahead; fails with {@link QuotaExceededException} otherwise. */
    public Uni<Void> admit(String tenantId) {
        TenantQuotas.Limits limits = quotas.of(tenantId);
        String key = tenantId == null ? "" : tenantId;
        return waitingCount(key).map(count -> {
            if (count >= limits.maxWaiting()) {
                throw new QuotaExceededException("tenant " + tenantId + " has " + count + " executions waiting; its quota is "
                        + limits.maxWaiting() + " (workflow.quota.*.max-waiting)", WAITING_RETRY_AFTER);
            }
            long waitNanos = buckets.computeIfAbsent(key, k -> new Bucket()).take(limits, System.nanoTime());
            if (waitNanos > 0) {
                throw new QuotaExceededException("tenant " + tenantId + " starts more than " + limits.startsPerSecond()
                        + " executions a second (workflow.quota.*.starts-per-second)",
                        Duration.ofNanos(waitNanos).plusMillis(999).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
            return null;
        });
    }

    private Uni<Long> waitingCount(String tenant) {
        long now = System.nanoTime();
        Count cached = waiting.get(tenant);
        if (cached != null && now - cached.at() < WAITING_COUNT_TTL_NANOS) {
            return Uni.createFrom().item(cached.value());
        }
        return pool.preparedQuery(COUNT_WAITING).execute(Tuple.of(tenant.isEmpty() ? null : tenant))
                .map(rows -> rows.iterator().next().getLong(0))
                .invoke(count -> waiting.put(tenant, new Count(count, now)));
    }

    private record Count(long value, long at) {
    }

    /** Tokens refill at the tenant's rate up to its burst; a start takes one. */
    private static final class Bucket {

        private double tokens = -1;
        private long updatedAt;

        /** Takes a token and emits 0, or emits the nanoseconds until one is there. */
        synchronized long take(TenantQuotas.Limits limits, long now) {
            double perNano = limits.startsPerSecond() / 1e9;
            tokens = tokens < 0 ? limits.startBurst() : Math.min(limits.startBurst(), tokens + (now - updatedAt) * perNano);
            updatedAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
