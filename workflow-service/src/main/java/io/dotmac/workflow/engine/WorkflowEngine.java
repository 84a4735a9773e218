package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LargeData;
import io.dotmac.workflow.execution.NewExecution;
import io.dotmac.workflow.expression.DataSize;
import io.dotmac.workflow.quota.StartQuota;
import io.dotmac.workflow.repository.StoredWorkflow;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The engine's entry points: start, wake, cancel, retry and compensate executions. What is due is
 * driven by this instance's {@link ClaimLoop}, which is told at once when an entry point made
 * something due.
 */
@ApplicationScoped
public class WorkflowEngine {

    private final WorkflowRepository workflows;
    private final ExecutionStore store;
    private final ClaimLoop claims;
    private final EngineConfig config;
    private final EngineIdentity identity;
    private final ExecutionMetrics metrics;
    private final Event<ExecutionFinished> finished;
    private final StartQuota startQuota;
    private final DataLimits limits;
    private final StepTraces traces;

    WorkflowEngine(WorkflowRepository workflows, ExecutionStore store, ClaimLoop claims, EngineConfig config,
                   EngineIdentity identity, ExecutionMetrics metrics, Event<ExecutionFinished> finished, StartQuota startQuota,
                   DataLimits limits, StepTraces traces) {
        this.workflows = workflows;
        this.store = store;
        this.claims = claims;
        this.config = config;
        this.identity = identity;
        this.metrics = metrics;
        this.finished = finished;
        this.startQuota = startQuota;
        this.limits = limits;
        this.traces = traces;
    }

    /**
     * Starts an execution of the newest active version of a workflow, within the tenant's start
     * quota (else fails with {@link io.dotmac.workflow.quota.QuotaExceededException}). With an
     * idempotency key that was used before by the same kind of start, emits that execution instead
     * of starting another. It is driven here at once if this instance and the tenant have room in
     * flight, else by the claim loop when they do.
     */
    public Uni<Started> start(StartRequest request) {
        return workflows.findActive(request.workflowName(), request.tenantId()).chain(found -> {
            StoredWorkflow workflow = found.orElseThrow(() -> new WorkflowNotFoundException(request.workflowName()));
            List<String> missing = workflow.definition().inputs().stream()
                    .filter(input -> !request.context().containsKey(input)).toList();
            if (!missing.isEmpty()) {
                throw new InvalidInputException("workflow '" + request.workflowName() + "' needs context " + missing
                        + " (given: " + request.context().keySet() + ")");
            }
            return LargeData.handle(DataSize.upTo(request.context(), LargeData.INLINE_BYTES),
                    () -> limits.checkStart(request.context())).chain(size -> {
                if (size.problem() != null) {
                    throw new InvalidInputException("workflow '" + request.workflowName() + "' cannot start: " + size.problem());
                }
                // Namespaced by how it started: an API caller cannot take the key of a schedule's or an event's start.
                String key = request.idempotencyKey() == null ? null : request.triggerType() + ":" + request.idempotencyKey();
                // A start made before is answered without counting against the quota: a redelivered
                // event or a client's retry must not use up the tenant's rate, nor be refused by it.
                Uni<UUID> before = key == null ? Uni.createFrom().nullItem() : store.findByIdempotencyKey(request.tenantId(), key);
                return before.chain(existing -> existing != null
                        ? Uni.createFrom().item(new Started(existing, false, false))
                        : startQuota.admit(request.tenantId()).chain(() -> insert(request, workflow, key, size.bytes())));
            });
        });
    }

    private Uni<Started> insert(StartRequest request, StoredWorkflow workflow, String key, long contextBytes) {
        UUID id = UUID.randomUUID();
        boolean driveNow = claims.tryTake(request.tenantId());
        String token = driveNow ? identity.newLeaseToken() : null;
        Map<String, Object> context = new LinkedHashMap<>(request.context());
        String traceparent = traces.start(id, workflow.definition().name(), request.tenantId(), request.triggerType(),
                request.traceparent());
        NewExecution execution = new NewExecution(id, workflow.id(), workflow.definition().name(),
                workflow.definition().version(), context, request.triggerType(), request.triggerSource(),
                request.tenantId(), key, traceparent);
        return store.insert(execution, token, config.leaseDuration())
                .onTermination().invoke((stored, failure, cancelled) -> {
                    // The slot drives nothing unless this start created the execution. On a failure or a
                    // cancel (the caller went away) a stored execution's lease expires and the claim loop drives it.
                    if (driveNow && (stored == null || !stored.created())) {
                        claims.giveBack(request.tenantId());
                    }
                })
                .map(stored -> {
                    if (stored.created()) {
                        metrics.started(workflow.definition().name(), request.triggerType());
                    }
                    if (stored.created() && driveNow) {
                        ExecutionState state = new ExecutionState(id, token, request.tenantId(), workflow.definition(), context,
                                1, 0, 0, Instant.now());
                        state.dataBytes = contextBytes;
                        state.traceparent = traceparent;
                        claims.dispatch(state);
                    } else if (stored.created()) {
                        claims.poll();
                    }
                    return new Started(stored.id(), stored.created(), stored.created() && driveNow);
                });
    }

    /** Makes a waiting execution check its condition now (an event it waits for has arrived). */
    public Uni<Boolean> wake(UUID executionId) {
        return store.wake(executionId).invoke(woken -> {
            if (woken) {
                claims.poll();
            }
        });
    }

    /** Wakes every execution waiting for this event and business key; emits how many. */
    public Uni<Integer> wakeWaitingOn(String event, String key, String tenantId) {
        return store.wakeWaitingOn(event, key, tenantId).invoke(woken -> {
            if (woken > 0) {
                claims.poll();
            }
        });
    }

    /** Emits the status after the request, or null if there is no unfinished execution with this id. */
    public Uni<ExecutionStatus> cancel(UUID executionId) {
        return store.requestCancel(executionId).map(outcome -> {
            if (outcome == null) {
                return null;
            }
            if (outcome.status() == ExecutionStatus.CANCELLED) {
                // Nobody drove it (it waited, or its driver died): no runner will report its end.
                finished.fire(new ExecutionFinished(executionId, outcome.workflowName(), outcome.workflowVersion(),
                        outcome.tenantId(), ExecutionStatus.CANCELLED, outcome.runningTimeMs()));
            }
            return outcome.status();
        });
    }

    /** Resumes a FAILED execution from its failed step; emits false if it is not FAILED, or was compensated. */
    public Uni<Boolean> retry(UUID executionId) {
        return store.retry(executionId).invoke(retried -> {
            if (retried) {
                claims.poll();
            }
        });
    }

    /**
     * Makes a FAILED execution undo the steps it completed, as a new run; emits false if it is not
     * FAILED or has nothing to undo.
     */
    public Uni<Boolean> compensate(UUID executionId) {
        return store.compensate(executionId).invoke(compensating -> {
            if (compensating) {
                claims.poll();
            }
        });
    }

    /** {@code traceparent}: the trace the start belongs to (the event's, the API call's); null: a trace of its own. */
    public record StartRequest(String workflowName, Map<String, Object> context, String tenantId, String triggerType,
                               String triggerSource, String idempotencyKey, String traceparent) {
    }

    /** {@code driven}: this start created it and drives it now (else it waits, pending, for a claim). */
    public record Started(UUID id, boolean created, boolean driven) {
    }
}
