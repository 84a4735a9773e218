package io.dotmac.workflow.inbox;

import io.dotmac.common.error.DomainException;
import io.dotmac.workflow.definition.Trigger;
import io.dotmac.workflow.engine.WorkflowEngine;
import io.dotmac.workflow.execution.JsonCodec;
import io.dotmac.workflow.expression.CompiledExpression;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.ExpressionException;
import io.dotmac.workflow.expression.Templates;
import io.dotmac.workflow.expression.UnresolvedPathException;
import io.dotmac.workflow.metrics.EventLag;
import io.dotmac.workflow.quota.QuotaExceededException;
import io.dotmac.workflow.repository.ExecutionQueries;
import io.dotmac.workflow.repository.StoredWorkflow;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * What an event does to workflows: starts each workflow that declares a trigger for it (the
 * version that runs for the event's tenant), once per event however often it is delivered (the
 * start's idempotency key is derived from the event's identity), and wakes the executions
 * waiting for it (by the event's key, the business id).
 */
@ApplicationScoped
public class EventTriggers {

    private static final Logger LOG = Logger.getLogger(EventTriggers.class);
    /** The longest value the business-key index holds (V6 workflow_business_keys). */
    static final int MAX_KEY_LENGTH = 200;

    private final WorkflowRepository workflows;
    private final ExecutionQueries executions;
    private final WorkflowEngine engine;
    private final EventLag lag;
    private final ExpressionEngine expressions;

    EventTriggers(WorkflowRepository workflows, ExecutionQueries executions, WorkflowEngine engine, EventLag lag,
                  ExpressionEngine expressions) {
        this.expressions = expressions;
        this.workflows = workflows;
        this.executions = executions;
        this.engine = engine;
        this.lag = lag;
    }

    /**
     * Failures that another attempt cannot mend: the event goes to the dead-letter topic. Of the
     * database's errors only a lost connection, exhausted resources, a shutdown and a serialization
     * conflict are worth waiting out; any other (a value it refuses) would fail forever.
     */
    static boolean isPermanent(Throwable e) {
        if (e instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return !(state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                    || state.equals("40001") || state.equals("40P01"));
        }
        return e instanceof MalformedEventException || e instanceof DomainException || e instanceof UnresolvedPathException
                || e instanceof IllegalArgumentException;
    }

    Uni<Void> handle(InboxEvent event) {
        return handle(event, true);
    }

    /** As {@link #handle(InboxEvent)}; an event handled again after it waited for the quota has woken its executions already. */
    Uni<Void> handle(InboxEvent event, boolean wakeWaiting) {
        if (event.tenant() == null || event.tenant().isBlank()) {
            return Uni.createFrom().failure(new MalformedEventException("event " + event.id() + " on " + event.topic()
                    + " names no tenant (CloudEvents extension '" + InboxEvent.TENANT_EXTENSION + "' or data."
                    + InboxEvent.TENANT_FIELD + ")"));
        }
        Deferral deferral = new Deferral();
        return workflows.findTriggeredBy(event.topic(), event.tenant())
                .onItem().transformToMulti(triggered -> Multi.createFrom().iterable(triggered))
                .onItem().transformToUniAndConcatenate(workflow -> start(event, workflow)
                        .onFailure(QuotaExceededException.class).recoverWithItem(over -> deferral.add((QuotaExceededException) over)))
                .collect().asList()
                .call(started -> wakeWaiting ? wake(event) : Uni.createFrom().item(0))
                .invoke(started -> {
                    if (deferral.retryAfter != null) {
                        // Its waiting executions are woken; the starts wait, in the inbox, for the tenant's quota.
                        throw new EventDeferredException(deferral.reason, deferral.retryAfter);
                    }
                    // A workflow whose when is false (null) is not one the event should start: it neither counts as taken nor refused.
                    List<Boolean> meant = started.stream().filter(Objects::nonNull).toList();
                    if (!meant.isEmpty() && meant.stream().noneMatch(Boolean::booleanValue)) {
                        // Every workflow it should start refused it: the event goes aside, for an operator to look at.
                        throw new MalformedEventException("event " + event.id() + " on " + event.topic()
                                + " started none of the workflows that it triggers; see the log for why");
                    }
                })
                .replaceWithVoid();
    }

    /** The starts an event could not make yet because of the tenant's quota. */
    private static final class Deferral {

        private Duration retryAfter;
        private String reason;

        boolean add(QuotaExceededException over) {
            retryAfter = retryAfter == null || over.retryAfter().compareTo(retryAfter) > 0 ? over.retryAfter() : retryAfter;
            reason = over.getMessage();
            return true;
        }
    }

    private Uni<Integer> wake(InboxEvent event) {
        if (event.key() == null) {
            return Uni.createFrom().item(0);
        }
        return engine.wakeWaitingOn(event.topic(), event.key(), event.tenant()).invoke(woken -> {
            if (woken > 0) {
                LOG.infof("event %s on %s woke %d waiting execution(s)", event.id(), event.topic(), woken);
                for (int i = 0; i < woken; i++) {
                    lag.record(event.topic(), EventLag.Action.WAKE, event.time());
                }
            }
        });
    }

    // One workflow that cannot use the event (a tenant's own trigger reading a field this event
    // lacks) must not keep the others from starting, nor the waiting executions from waking.
    // True: started (or driven by another execution); false: refused; null: its when says it is not meant to start.
    private Uni<Boolean> start(InboxEvent event, StoredWorkflow workflow) {
        return Uni.createFrom().deferred(() -> {
                    if (!wanted(event, workflow)) {
                        LOG.debugf("event %s on %s: %s not started, its trigger's when is false", event.id(), event.topic(),
                                workflow.definition().name());
                        return Uni.createFrom().<Boolean>nullItem();
                    }
                    return drivenElsewhere(event, workflow)
                            .chain(drivenBy -> drivenBy != null ? skipped(event, workflow, drivenBy) : started(event, workflow));
                })
                .onFailure(EventTriggers::isPermanent).recoverWithItem(failure -> {
                    LOG.errorf("event %s on %s cannot start workflow %s: %s", event.id(), event.topic(),
                            workflow.definition().name(), failure.getMessage());
                    return false;
                });
    }

    /**
     * The workflow whose execution drives (or drove to the end) what the event is about, or null if
     * none does. Completed counts too: an event redelivered after that journey finished starts no
     * second one.
     */
    private Uni<String> drivenElsewhere(InboxEvent event, StoredWorkflow workflow) {
        Trigger.UnlessRunning unless = workflow.definition().trigger(event.topic()).orElseThrow().unlessRunning();
        if (unless == null) {
            return Uni.createFrom().nullItem();
        }
        Object resolved = Templates.resolve(unless.key(), scope(event));
        // Business keys are strings and numbers of up to 200 characters; anything else could never match.
        if (!(resolved instanceof String || resolved instanceof Number) || resolved.toString().isBlank()
                || resolved.toString().length() > MAX_KEY_LENGTH) {
            throw new MalformedEventException("event " + event.id() + " on " + event.topic() + ": the unless_running key "
                    + unless.key() + " of workflow '" + workflow.definition().name() + "' is " + describe(resolved)
                    + ", not a business key (a string or number of 1 to " + MAX_KEY_LENGTH + " characters)");
        }
        String key = resolved.toString();
        return executions.drivingKey(event.tenant(), unless.workflow(), key)
                .map(driven -> driven ? unless.workflow() + " (" + key + ")" : null);
    }

    /**
     * Whether the trigger's {@code when}, if it has one, holds for the event; one that cannot be
     * evaluated starts nothing. One out of its time budget is tried once more (a busy machine can be
     * the cause), not until it passes: the partition's other tenants' events wait behind it.
     */
    private boolean wanted(InboxEvent event, StoredWorkflow workflow) {
        String when = workflow.definition().trigger(event.topic()).orElseThrow().when();
        if (when == null) {
            return true;
        }
        try {
            CompiledExpression expression = expressions.compile(when);
            Map<String, Object> scope = scope(event);
            try {
                return expression.test(scope);
            } catch (ExpressionException e) {
                if (!e.outOfTime()) {
                    throw e;
                }
                return expression.test(scope);
            }
        } catch (RuntimeException e) {
            throw new MalformedEventException("event " + event.id() + " on " + event.topic() + ": the when of workflow '"
                    + workflow.definition().name() + "' cannot be evaluated on it: " + e.getMessage());
        }
    }

    private static String describe(Object value) {
        return value == null ? "null" : value instanceof String text ? "'" + text.substring(0, Math.min(text.length(), 40))
                + (text.length() > 40 ? "…'" : "'") : "a " + value.getClass().getSimpleName();
    }

    private static Uni<Boolean> skipped(InboxEvent event, StoredWorkflow workflow, String drivenBy) {
        LOG.infof("event %s on %s: %s not started, an execution of %s drives it", event.id(), event.topic(),
                workflow.definition().name(), drivenBy);
        return Uni.createFrom().item(true);
    }

    private Uni<Boolean> started(InboxEvent event, StoredWorkflow workflow) {
        return engine.start(startRequest(event, workflow))
                .map(started -> {
                    LOG.infof("event %s on %s: execution %s of %s %s", event.id(), event.topic(), started.id(),
                            workflow.definition().name(), started.created() ? "started" : "was started before");
                    if (started.created()) {
                        lag.record(event.topic(), EventLag.Action.START, event.time());
                    }
                    return true;
                });
    }

    /** What a trigger's templates read: the event's data and its envelope. */
    private static Map<String, Object> scope(InboxEvent event) {
        Map<String, Object> envelope = new HashMap<>();
        envelope.put("id", event.id());
        envelope.put("source", event.source());
        envelope.put("type", event.type());
        envelope.put("key", event.key());
        envelope.put("tenant", event.tenant());
        return Map.of("data", JsonCodec.readMap(event.payload().encode()), "event", envelope);
    }

    @SuppressWarnings("unchecked")
    private static WorkflowEngine.StartRequest startRequest(InboxEvent event, StoredWorkflow workflow) {
        Trigger trigger = workflow.definition().trigger(event.topic()).orElseThrow();
        Map<String, Object> context;
        try {
            context = (Map<String, Object>) Templates.resolve(trigger.context(), scope(event));
        } catch (UnresolvedPathException e) {
            throw new MalformedEventException("event " + event.id() + " on " + event.topic() + " lacks what workflow '"
                    + workflow.definition().name() + "' reads from it: " + e.getMessage());
        }
        String name = workflow.definition().name();
        return new WorkflowEngine.StartRequest(name, context, event.tenant(), "event",
                event.topic() + "/" + event.id(), "event:" + event.topic() + ":" + event.source() + ":" + event.id() + ":" + name,
                event.traceparent());
    }
}
