package io.dotmac.workflow.service;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.error.DomainException.TooLarge;
import io.dotmac.common.tracing.Traceparent;
import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.engine.WorkflowEngine;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.repository.ExecutionQueries;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Executions as the API sees them: started, listed, read, cancelled and retried within the
 * caller's tenant. Another tenant's execution is, to the caller, an execution that does not exist.
 */
@ApplicationScoped
public class ExecutionService {

    /** The largest context a start request may carry, serialized as JSON (documented in the API). */
    public static final int MAX_CONTEXT_BYTES = 256 * 1024;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    /** Business keys are ids, numbers and emails; longer values are never indexed as keys (V6). */
    static final int MAX_KEY_LENGTH = 200;
    private static final Pattern WAIT = Pattern.compile("(\\d{1,12})(ms|s|m)?");

    private static final Logger LOG = Logger.getLogger(ExecutionService.class);
    /** The first look at a start that is waited for, doubling up to {@link #LONGEST_LOOK}. */
    private static final Duration FIRST_LOOK = Duration.ofMillis(20);
    private static final Duration LONGEST_LOOK = Duration.ofMillis(250);

    private final WorkflowEngine engine;
    private final ExecutionQueries queries;
    private final Duration maxWait;
    private final Semaphore waiters;
    private final int maxWaitingPerTenant;
    /** Requests waiting now, by tenant: one tenant cannot take every place. */
    private final ConcurrentHashMap<String, Integer> waitingByTenant = new ConcurrentHashMap<>();

    ExecutionService(WorkflowEngine engine, ExecutionQueries queries, EngineConfig config) {
        this.engine = engine;
        this.queries = queries;
        this.maxWait = config.execute().maxWait();
        this.waiters = new Semaphore(config.execute().maxWaiting());
        this.maxWaitingPerTenant = config.execute().maxWaitingPerTenant();
    }

    /** The status of a start's execution as it was answered: read again only for one that existed before. */
    public Uni<String> statusOf(String tenantId, WorkflowEngine.Started started) {
        if (started.created()) {
            return Uni.createFrom().item((started.driven() ? ExecutionStatus.RUNNING : ExecutionStatus.PENDING).wire());
        }
        return queries.status(tenantId, started.id()).map(status -> status.orElseThrow(() -> notFound(started.id())));
    }

    /**
     * How long a start may wait for its execution ({@code ?wait=30s}, {@code 500ms}, {@code 2m}, or
     * seconds), checked before anything is started; zero when not asked.
     */
    public Duration waitFor(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        Matcher m = WAIT.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidRequest("wait '" + text + "' is not a duration such as 30s, 500ms or 2m");
        }
        // At most twelve digits: no unit overflows a Duration.
        long amount = Long.parseLong(m.group(1));
        Duration wait = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (wait.compareTo(maxWait) > 0) {
            String most = maxWait.toMillis() % 1000 == 0 ? maxWait.toSeconds() + "s" : maxWait.toMillis() + "ms";
            throw new InvalidRequest("wait '" + text + "' is longer than this API waits (at most " + most
                    + "); the execution goes on after the answer, so read it at its Location instead");
        }
        return wait;
    }

    /**
     * The execution once it has finished or waits (for a customer, an event), or empty when
     * {@code wait} ran out first, or when it could not be read: the start is made either way, and
     * the caller is answered as without a wait. Waiting reads only the status, a few times a second
     * at most; when too many requests wait at once, in all or of the tenant, a new one is answered
     * at once.
     */
    public Uni<Optional<ExecutionQueries.Detail>> settled(String tenantId, UUID id, Duration wait) {
        if (wait.isZero()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String tenant = String.valueOf(tenantId);
        if (waitingByTenant.merge(tenant, 1, Integer::sum) > maxWaitingPerTenant || !waiters.tryAcquire()) {
            leave(tenant);
            return Uni.createFrom().item(Optional.empty());
        }
        Instant deadline = Instant.now().plus(wait);
        return settledBy(tenantId, id, deadline, FIRST_LOOK)
                .chain(settled -> settled ? queries.find(tenantId, id) : Uni.createFrom().item(Optional.<ExecutionQueries.Detail>empty()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("execution %s was started, but could not be read while its caller waited: %s", id, failure.getMessage());
                    return Optional.empty();
                })
                .onTermination().invoke(() -> {
                    waiters.release();
                    leave(tenant);
                });
    }

    private void leave(String tenant) {
        waitingByTenant.computeIfPresent(tenant, (key, waiting) -> waiting <= 1 ? null : waiting - 1);
    }

    private Uni<Boolean> settledBy(String tenantId, UUID id, Instant deadline, Duration next) {
        return queries.status(tenantId, id).chain(status -> {
            if (status.map(ExecutionStatus::stored).map(s -> s.isTerminal() || s == ExecutionStatus.WAITING).orElse(false)) {
                return Uni.createFrom().item(true);
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (status.isEmpty() || left.isNegative() || left.isZero()) {
                return Uni.createFrom().item(false);
            }
            Duration pause = next.compareTo(left) < 0 ? next : left;
            Duration after = next.multipliedBy(2).compareTo(LONGEST_LOOK) < 0 ? next.multipliedBy(2) : LONGEST_LOOK;
            return Uni.createFrom().voidItem().onItem().delayIt().by(pause)
                    .chain(() -> settledBy(tenantId, id, deadline, after));
        });
    }

    public Uni<WorkflowEngine.Started> execute(String tenantId, String user, String workflowName,
                                               Map<String, Object> context, String idempotencyKey) {
        if (JsonCodec.containsNul(context)) {
            throw new InvalidRequest("context contains a NUL character (\\u0000), which cannot be stored");
        }
        int size;
        try {
            size = JsonCodec.write(context).getBytes(StandardCharsets.UTF_8).length;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("context " + e.getMessage());
        }
        if (size > MAX_CONTEXT_BYTES) {
            throw new TooLarge("context is " + size + " bytes; at most " + MAX_CONTEXT_BYTES + " are accepted");
        }
        return engine.start(new WorkflowEngine.StartRequest(workflowName, context, tenantId, "manual", user, idempotencyKey,
                Traceparent.current()));
    }

    public Uni<ExecutionQueries.Detail> get(String tenantId, UUID id) {
        return queries.find(tenantId, id).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    public Uni<Page> list(String tenantId, String status, String workflowName, String triggerType, String from, String to,
                          String key, String cursor, String limitText) {
        int limit = limit(limitText);
        ExecutionQueries.Filter filter = new ExecutionQueries.Filter(status(status), blankToNull(workflowName),
                blankToNull(triggerType), time("from", from), time("to", to), key(key));
        // One more than asked: whether it comes back says if there is a next page.
        return queries.list(tenantId, filter, position(cursor), limit + 1).map(rows -> {
            List<ExecutionQueries.Summary> items = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit ? cursor(items.get(items.size() - 1)) : null;
            return new Page(items, next);
        });
    }

    public Uni<ExecutionStatus> cancel(String tenantId, UUID id) {
        return get(tenantId, id).chain(execution -> engine.cancel(id).map(status -> {
            if (status == null) {
                throw new Conflict(ExecutionStatus.stored(execution.summary().status()).isTerminal()
                        ? "execution " + id + " has already finished"
                        : "execution " + id + " is undoing what it did (compensating); that is not cancelled half-way");
            }
            return status;
        }));
    }

    public Uni<Void> retry(String tenantId, UUID id) {
        return get(tenantId, id).chain(execution -> engine.retry(id).map(retried -> {
            if (!retried) {
                String status = execution.summary().status();
                throw new Conflict(ExecutionStatus.FAILED.wire().equals(status)
                        ? "execution " + id + " was compensated (what it did is undone), so it cannot go on; start a new one"
                        : "only a failed execution can be retried; execution " + id + " is " + status);
            }
            return null;
        }));
    }

    public Uni<Void> compensate(String tenantId, UUID id) {
        return get(tenantId, id).chain(execution -> engine.compensate(id).map(compensating -> {
            if (!compensating) {
                String status = execution.summary().status();
                throw new Conflict(ExecutionStatus.FAILED.wire().equals(status)
                        ? "execution " + id + " has nothing to undo: none of the steps it completed has a compensate"
                        : "only a failed execution can be compensated; execution " + id + " is " + status);
            }
            return null;
        }));
    }

    public record Page(List<ExecutionQueries.Summary> items, String nextCursor) {
    }

    private static DomainException notFound(UUID id) {
        return new NotFound("no execution " + id);
    }

    private static String status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        // Any case: a client written against the upper-case statuses of before still filters.
        return ExecutionStatus.of(status).map(ExecutionStatus::wire).orElseThrow(() ->
                new InvalidRequest("status '" + status + "' is not one of " + List.of(ExecutionStatus.values())));
    }

    private static String key(String key) {
        String trimmed = blankToNull(key);
        if (trimmed != null && trimmed.length() > MAX_KEY_LENGTH) {
            throw new InvalidRequest("key is " + trimmed.length() + " characters long; a business key (an id, a number, "
                    + "an email) has at most " + MAX_KEY_LENGTH);
        }
        return trimmed;
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(name + " '" + value + "' is not an ISO-8601 date-time with offset, e.g. 2026-11-25T10:00:00Z");
        }
    }

    private static String cursor(ExecutionQueries.Summary last) {
        String position = last.createdAt() + "|" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static ExecutionQueries.Position position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            return new ExecutionQueries.Position(OffsetDateTime.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new InvalidRequest("cursor '" + cursor + "' is not one this API returned");
        }
    }

    // Parsed here, not by JAX-RS, which answers a query parameter it cannot convert with a 404.
    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequest("limit '" + text + "' must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
