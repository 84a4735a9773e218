package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ClaimedExecution;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LeaseLostException;
import io.dotmac.workflow.execution.NewExecution;
import io.dotmac.workflow.repository.StoredWorkflow;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The engine's entry points: start, wake, cancel and retry executions. It also keeps this
 * instance's share of the work going: it claims due executions (new, woken, retried, or left by an
 * instance that died) on a short poll, and renews the leases of those it drives, so that every
 * unfinished execution is driven by exactly one instance at a time.
 */
@ApplicationScoped
public class WorkflowEngine {

    private static final Logger LOG = Logger.getLogger(WorkflowEngine.class);
    private static final int CLAIM_BATCH = 64;

    private final WorkflowRepository workflows;
    private final ExecutionStore store;
    private final ExecutionRunner runner;
    private final EngineConfig config;
    private final Vertx vertx;
    private final String owner;
    private final long pollIntervalMs;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();

    WorkflowEngine(WorkflowRepository workflows, ExecutionStore store, ExecutionRunner runner, EngineConfig config,
                   Vertx vertx, EngineIdentity identity) {
        this.workflows = workflows;
        this.store = store;
        this.runner = runner;
        this.config = config;
        this.vertx = vertx;
        this.owner = identity.owner();
        this.pollIntervalMs = config.pollInterval().toMillis();
    }

    void start(@Observes StartupEvent event) {
        LOG.infof("workflow engine %s: polling every %d ms, lease %s", owner, pollIntervalMs, config.leaseDuration());
        timers.add(vertx.setPeriodic(pollIntervalMs, id -> poll()));
        timers.add(vertx.setPeriodic(Math.max(100, config.leaseDuration().toMillis() / 3), id -> renewLeases()));
    }

    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
    }

    /**
     * Starts an execution of the newest active version of a workflow. With an idempotency key that
     * was used before, emits that execution instead of starting another.
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
            UUID id = UUID.randomUUID();
            Map<String, Object> context = new LinkedHashMap<>(request.context());
            NewExecution execution = new NewExecution(id, workflow.id(), workflow.definition().name(),
                    workflow.definition().version(), context, request.triggerType(), request.triggerSource(),
                    request.tenantId(), request.idempotencyKey());
            return store.insert(execution, owner, config.leaseDuration()).map(stored -> {
                if (stored.created()) {
                    dispatch(new ExecutionState(id, request.tenantId(), workflow.definition(), context, 1, 0, 0, Instant.now()));
                }
                return new Started(stored.id(), stored.created());
            });
        });
    }

    /** Makes a waiting execution check its condition now (an event it waits for has arrived). */
    public Uni<Boolean> wake(UUID executionId) {
        return store.wake(executionId).invoke(woken -> {
            if (woken) {
                poll();
            }
        });
    }

    /** Emits the status after the request, or null if there is no unfinished execution with this id. */
    public Uni<ExecutionStatus> cancel(UUID executionId) {
        return store.requestCancel(executionId);
    }

    /** Resumes a FAILED execution from its failed step; emits false if it is not FAILED. */
    public Uni<Boolean> retry(UUID executionId) {
        return store.retry(executionId).invoke(retried -> {
            if (retried) {
                poll();
            }
        });
    }

    /** Claims due executions up to this instance's capacity and drives them. */
    void poll() {
        int capacity = config.maxInFlight() - inFlight.size();
        if (capacity <= 0 || !polling.compareAndSet(false, true)) {
            return;
        }
        store.claimDue(owner, Math.min(capacity, CLAIM_BATCH), config.leaseDuration())
                .onItem().transformToMulti(claimed -> Multi.createFrom().iterable(claimed))
                .onItem().transformToUniAndMerge(this::resume)
                .collect().asList()
                .subscribe().with(
                        resumed -> {
                            polling.set(false);
                            // A full batch means more may be due.
                            if (resumed.size() == Math.min(capacity, CLAIM_BATCH)) {
                                poll();
                            }
                        },
                        failure -> {
                            polling.set(false);
                            LOG.errorf(failure, "claiming due executions failed");
                        });
    }

    private Uni<UUID> resume(ClaimedExecution claimed) {
        return workflows.findById(claimed.workflowId()).map(workflow -> {
            ExecutionState state = new ExecutionState(claimed.id(), claimed.tenantId(), workflow.definition(),
                    claimed.context(), claimed.runNumber(), claimed.currentStep(), claimed.runningTimeMs(), Instant.now());
            state.cancelRequested = claimed.cancelRequested();
            state.resumedStep = claimed.currentStepRow();
            LOG.debugf("resuming execution %s of %s at step %d", claimed.id(), workflow.definition().name(), claimed.currentStep());
            dispatch(state);
            return claimed.id();
        });
    }

    private void dispatch(ExecutionState state) {
        inFlight.add(state.id);
        runner.drive(state).subscribe().with(
                done -> inFlight.remove(state.id),
                failure -> {
                    inFlight.remove(state.id);
                    if (failure instanceof LeaseLostException) {
                        LOG.warnf("execution %s: %s; another instance drives it now", state.id, failure.getMessage());
                    } else {
                        // Its lease expires and it is claimed again, from its last checkpoint.
                        LOG.errorf(failure, "execution %s stopped unexpectedly; it resumes when its lease expires", state.id);
                    }
                });
    }

    private void renewLeases() {
        if (inFlight.isEmpty()) {
            return;
        }
        List<UUID> ids = List.copyOf(inFlight);
        store.renewLeases(owner, ids, config.leaseDuration()).subscribe().with(
                renewed -> {
                    if (renewed < ids.size()) {
                        LOG.debugf("renewed %d of %d leases (the others finished or were lost)", (Object) renewed, ids.size());
                    }
                },
                failure -> LOG.warnf("renewing leases failed: %s", failure.getMessage()));
    }

    /** Executions this instance is driving now. */
    public int inFlight() {
        return inFlight.size();
    }

    public record StartRequest(String workflowName, Map<String, Object> context, String tenantId, String triggerType,
                               String triggerSource, String idempotencyKey) {
    }

    public record Started(UUID id, boolean created) {
    }
}
