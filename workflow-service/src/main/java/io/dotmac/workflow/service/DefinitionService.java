package io.dotmac.workflow.service;

import com.cronutils.model.time.ExecutionTime;
import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.Forbidden;
import io.dotmac.common.error.DomainException.InvalidRequest;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.workflow.definition.DefinitionParser;
import io.dotmac.workflow.definition.InvalidDefinitionException;
import io.dotmac.workflow.definition.Schedule;
import io.dotmac.workflow.definition.ValidationError;
import io.dotmac.workflow.definition.WorkflowDefinition;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.quota.TenantQuotas;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.dotmac.workflow.repository.WorkflowVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Workflow definitions as a tenant manages them: stored only when valid, versioned, activated.
 * Built-in definitions are shared by every tenant and read-only; a tenant's own version of a
 * built-in's name runs instead of it for that tenant. A version with a schedule is stored or
 * activated only within the tenant's schedule quotas ({@link TenantQuotas}): its cron may not start
 * it more often than the tenant's minimum interval, nor may it make the tenant's scheduled
 * workflows more than its maximum.
 */
@ApplicationScoped
public class DefinitionService {

    private static final String UNIQUE_VIOLATION = "23505";
    /** Due times of a cron compared for the shortest gap: enough for any pattern of its fields, still cheap. */
    private static final int SAMPLED_DUE_TIMES = 50;

    private final DefinitionParser parser;
    private final WorkflowRepository workflows;
    private final TenantQuotas quotas;

    DefinitionService(DefinitionParser parser, WorkflowRepository workflows, TenantQuotas quotas) {
        this.parser = parser;
        this.workflows = workflows;
        this.quotas = quotas;
    }

    public Uni<List<WorkflowVersion>> list(String tenantId, boolean allVersions) {
        return workflows.list(tenantId, allVersions);
    }

    public Uni<List<WorkflowVersion>> versions(String tenantId, String name) {
        return workflows.versions(tenantId, name).map(versions -> {
            if (versions.isEmpty()) {
                throw new NotFound("no workflow '" + name + "'");
            }
            return versions;
        });
    }

    public Uni<WorkflowVersion> get(String tenantId, String name, String version) {
        return workflows.find(tenantId, name, blankToNull(version)).map(found -> found.orElseThrow(() ->
                new NotFound("no workflow '" + name + "'" + (blankToNull(version) == null ? "" : " version " + version))));
    }

    public Uni<WorkflowVersion> create(String tenantId, JsonNode json) {
        WorkflowDefinition definition;
        try {
            definition = parser.parse(json);
        } catch (InvalidDefinitionException e) {
            throw new InvalidRequest(e.getMessage(), e.errors().stream().map(ValidationError::toString).toList());
        }
        String stored;
        try {
            // As it runs: what the parser filled in is written out, so the stored steps never shift.
            stored = JsonCodec.write(parser.filledIn(definition));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("definition " + e.getMessage());
        }
        String cron = definition.schedule() == null ? null : definition.schedule().cron();
        return withinScheduleQuotas(tenantId, definition.name(), cron)
                .chain(() -> workflows.insert(definition, stored, tenantId))
                .onFailure(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()))
                .transform(e -> new Conflict("workflow '" + definition.name() + "' version "
                        + definition.version() + " exists; store a new version"))
                .chain(id -> get(tenantId, definition.name(), definition.version()));
    }

    public Uni<WorkflowVersion> setActive(String tenantId, String name, String version, boolean active) {
        if (blankToNull(version) == null) {
            throw new InvalidRequest("version is required, e.g. ?version=1.0.0");
        }
        Uni<Void> allowed = !active ? Uni.createFrom().voidItem() : workflows.find(tenantId, name, version)
                // Only the tenant's own versions: activating a built-in is refused below.
                .map(found -> found.filter(v -> v.tenantId() != null))
                .chain(found -> withinScheduleQuotas(tenantId, name, found.map(DefinitionService::cronOf).orElse(null)));
        return allowed.chain(() -> workflows.setActive(tenantId, name, version, active)).chain(changed -> {
            if (changed) {
                return get(tenantId, name, version);
            }
            return get(tenantId, name, version).map(existing -> {
                throw new Forbidden("workflow '" + name + "' " + version
                        + " is built in and shared by every tenant; store a version of your own to change what runs");
            });
        });
    }

    /** Fails unless a version of {@code name} with this cron (none: no schedule) may run for the tenant. */
    private Uni<Void> withinScheduleQuotas(String tenantId, String name, String cron) {
        if (cron == null) {
            return Uni.createFrom().voidItem();
        }
        TenantQuotas.Limits limits = quotas.of(tenantId);
        Optional<Duration> gap = shortestGap(cron, ZonedDateTime.now(ZoneOffset.UTC));
        if (gap.isPresent() && gap.get().compareTo(limits.minScheduleInterval()) < 0) {
            throw new InvalidRequest("schedule.cron '" + cron + "' starts the workflow " + text(gap.get())
                    + " apart; the tenant's schedules must leave at least " + text(limits.minScheduleInterval())
                    + " between two starts (quota min-schedule-interval)");
        }
        // 409, not 429: waiting does not help, as it does with a rate; the tenant's other scheduled
        // workflows conflict with this one until one of them is deactivated (or the quota raised).
        // Checked before the insert, not under a lock: two schedules stored at the same moment may both pass.
        return workflows.countScheduled(tenantId, name).map(count -> {
            if (count >= limits.maxSchedules()) {
                throw new Conflict("scheduling '" + name + "' would pass the tenant's quota max-schedules ("
                        + limits.maxSchedules() + "): it has " + count + " other scheduled workflow(s); deactivate one first");
            }
            return null;
        });
    }

    /** The shortest time between two of the cron's next {@value #SAMPLED_DUE_TIMES} due times; none if it has fewer than two. */
    private static Optional<Duration> shortestGap(String cron, ZonedDateTime from) {
        ExecutionTime times = ExecutionTime.forCron(Schedule.PARSER.parse(cron));
        Optional<Duration> shortest = Optional.empty();
        Optional<ZonedDateTime> previous = times.nextExecution(from);
        for (int i = 1; i < SAMPLED_DUE_TIMES && previous.isPresent(); i++) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isPresent()) {
                Duration gap = Duration.between(previous.get(), next.get());
                if (shortest.isEmpty() || gap.compareTo(shortest.get()) < 0) {
                    shortest = Optional.of(gap);
                }
            }
            previous = next;
        }
        return shortest;
    }

    private static String cronOf(WorkflowVersion version) {
        JsonNode cron = JsonCodec.readTree(version.definition()).path("schedule").path("cron");
        return cron.isTextual() ? cron.asText() : null;
    }

    /** 60s as "1m", 5400s as "1h30m". */
    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
