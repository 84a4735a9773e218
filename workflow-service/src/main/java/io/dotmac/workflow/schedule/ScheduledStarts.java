package io.dotmac.workflow.schedule;

import com.cronutils.model.time.ExecutionTime;
import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.definition.Schedule;
import io.dotmac.workflow.engine.WorkflowEngine;
import io.dotmac.workflow.expression.Templates;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.dotmac.workflow.support.PeriodicTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the workflows that carry a cron schedule, on every replica, each due time exactly once:
 * the start's idempotency key is the workflow and the due time, unique in the database, so the
 * replicas that see the same due time start one execution between them. A due time missed while
 * no replica ran is made up once (the latest one), within a catch-up window. Up to
 * {@value #CONCURRENCY} schedules start at once, so that the schedules of every tenant due in the
 * same minute start within it, not one after another behind a slow one.
 */
@ApplicationScoped
public class ScheduledStarts {

    private static final Logger LOG = Logger.getLogger(ScheduledStarts.class);
    /** Starts under way at once: each holds a database connection (the pool has 20) for a moment. */
    private static final int CONCURRENCY = 16;

    private final WorkflowRepository workflows;
    private final WorkflowEngine engine;
    private final Vertx vertx;
    private final Duration interval;
    private final Duration catchUp;
    private PeriodicTask task;

    ScheduledStarts(WorkflowRepository workflows, WorkflowEngine engine, Vertx vertx, EngineConfig config) {
        this.workflows = workflows;
        this.engine = engine;
        this.vertx = vertx;
        this.interval = config.schedule().checkInterval();
        this.catchUp = config.schedule().catchUp();
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicTask.every(vertx, interval, "scheduled starts", this::tick);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.cancel();
        }
    }

    /** Starts what is due now; emits how many executions this call started (the others were started already). */
    public Uni<Integer> tick() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return workflows.findScheduled()
                .onItem().transformToMulti(scheduled -> Multi.createFrom().iterable(scheduled))
                .onItem().transformToUni(workflow -> {
                    Schedule schedule = workflow.workflow().definition().schedule();
                    Optional<ZonedDateTime> due = ExecutionTime.forCron(Schedule.PARSER.parse(schedule.cron())).lastExecution(now);
                    // Not before the version was stored, and not a run missed long ago.
                    if (due.isEmpty() || due.get().toInstant().isBefore(workflow.storedAt())
                            || due.get().isBefore(now.minus(catchUp))) {
                        return Uni.createFrom().item(false);
                    }
                    // One schedule that fails to start must not hold up the others.
                    return Uni.createFrom().deferred(() -> startDue(workflow, due.get()))
                            .onFailure().recoverWithItem(failure -> {
                                LOG.errorf("scheduled start of %s for %s failed: %s", workflow.workflow().definition().name(),
                                        due.get().toInstant(), failure.getMessage());
                                return false;
                            });
                }).merge(CONCURRENCY)
                .filter(Boolean::booleanValue).collect().asList().map(java.util.List::size);
    }

    @SuppressWarnings("unchecked")
    private Uni<Boolean> startDue(WorkflowRepository.Scheduled scheduled, ZonedDateTime due) {
        String name = scheduled.workflow().definition().name();
        Schedule schedule = scheduled.workflow().definition().schedule();
        Map<String, Object> context = (Map<String, Object>) Templates.resolve(schedule.context(),
                Map.of("schedule", Map.of("due_at", due.toInstant().toString())));
        String key = "schedule:" + name + ":" + due.toInstant();
        return engine.start(new WorkflowEngine.StartRequest(name, context, scheduled.workflow().tenantId(), "scheduled",
                        "cron " + schedule.cron() + " at " + due.toInstant(), key, null))
                .invoke(started -> {
                    if (started.created()) {
                        LOG.infof("scheduled %s for %s: execution %s", name, due.toInstant(), started.id());
                    }
                })
                .map(WorkflowEngine.Started::created);
    }
}
