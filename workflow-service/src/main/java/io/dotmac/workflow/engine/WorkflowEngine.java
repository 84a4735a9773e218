package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ClaimedExecution;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LargeData;
import io.dotmac.workflow.execution.LeaseLostException;
import io.dotmac.workflow.execution.NewExecution;
import io.dotmac.workflow.expression.DataSize;
import io.dotmac.workflow.quota.StartQuota;
import io.dotmac.workflow.quota.TenantQuotas;
import io.dotmac.workflow.repository.StoredWorkflow;
import io.dotmac.workflow.repository.WorkflowRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    private final EngineIdentity identity;
    private final ExecutionMetrics metrics;
    private final Event<ExecutionFinished> finished;
    private final TenantQuotas quotas;
    private final StartQuota startQuota;
    private final DataLimits limits;
    private final String owner;
    private final long pollIntervalMs;
    private final InFlight inFlight = new InFlight();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();
    private final DueTimer dueTimer;

    WorkflowEngine(WorkflowRepository workflows, ExecutionStore store, ExecutionRunner runner, EngineConfig config,
                   Vertx vertx, EngineIdentity identity, ExecutionMetrics metrics, Event<ExecutionFinished> finished,
                   TenantQuotas quotas, StartQuota startQuota, DataLimits limits) {
        this.quotas = quotas;
        this.limits = limits;
        this.startQuota = startQuota;
        this.workflows = workflows;
        this.store = store;
        this.runner = runner;
        this.config = config;
        this.vertx = vertx;
        this.identity = identity;
        this.metrics = metrics;
        this.finished = finished;
        this.owner = identity.owner();
        this.pollIntervalMs = config.pollInterval().toMillis();
        this.dueTimer = new DueTimer(vertx, this::poll);
    }

    void start(@Observes StartupEvent event) {
        if (!config.engineEnabled()) {
            LOG.infof("workflow engine %s is off (WORKFLOW_ENGINE_ENABLED=false): executions started here are recorded"
                    + " and driven by the instances whose engine is on", owner);
            return;
        }
        LOG.infof("workflow engine %s: polling every %d ms, lease %s", owner, pollIntervalMs, config.leaseDuration());
        timers.add(vertx.setPeriodic(pollIntervalMs, id -> poll()));
        timers.add(vertx.setPeriodic(Math.max(100, config.leaseDuration().toMillis() / 3), id -> renewLeases()));
    }

    // The leases go at once, so that another instance takes these executions over without waiting
    // for them to expire; a late write of a driver still running here is fenced out.
    void stop(@Observes ShutdownEvent event) {
        timers.forEach(vertx::cancelTimer);
        dueTimer.stop();
        try {
            store.releaseLeases(inFlight.leases()).await().atMost(java.time.Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("could not release leases at shutdown (they expire by themselves): %s", e.getMessage());
        }
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
        boolean driveNow = config.engineEnabled() && inFlight.tryTake(request.tenantId(), config.maxInFlight(), quotas.of(request.tenantId()).maxInFlight());
        String token = driveNow ? identity.newLeaseToken() : null;
        Map<String, Object> context = new LinkedHashMap<>(request.context());
        NewExecution execution = new NewExecution(id, workflow.id(), workflow.definition().name(),
                workflow.definition().version(), context, request.triggerType(), request.triggerSource(),
                request.tenantId(), key);
        return store.insert(execution, token, config.leaseDuration())
                .onTermination().invoke((stored, failure, cancelled) -> {
                    // The slot drives nothing unless this start created the execution. On a failure or a
                    // cancel (the caller went away) a stored execution's lease expires and the claim loop drives it.
                    if (driveNow && (stored == null || !stored.created())) {
                        inFlight.giveBack(request.tenantId());
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
                        dispatch(state);
                    } else if (stored.created()) {
                        poll();
                    }
                    return new Started(stored.id(), stored.created(), stored.created() && driveNow);
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

    /** Wakes every execution waiting for this event and business key; emits how many. */
    public Uni<Integer> wakeWaitingOn(String event, String key, String tenantId) {
        return store.wakeWaitingOn(event, key, tenantId).invoke(woken -> {
            if (woken > 0) {
                poll();
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
                poll();
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
                poll();
            }
        });
    }

    /**
     * Claims due executions up to this instance's capacity, fairly across tenants and within each
     * tenant's room in flight, and drives them.
     */
    void poll() {
        int capacity = inFlight.free(config.maxInFlight());
        if (capacity <= 0 || !config.engineEnabled()) {
            return;
        }
        // A wake or a start while a claim is under way: claim again when it ends, not at the next tick.
        // Asked first, then tried: a claim that ends meanwhile clears `polling` before it reads the request.
        pollAgain.set(true);
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        pollAgain.set(false);
        int batch = Math.min(capacity, CLAIM_BATCH);
        Map<String, Integer> rooms = inFlight.rooms(tenant -> quotas.of(tenant).maxInFlight());
        quotas.overridden().forEach(tenant -> rooms.putIfAbsent(tenant, quotas.of(tenant).maxInFlight()));
        int room = Math.min(batch, quotas.defaults().maxInFlight());
        store.claimDue(owner, batch, config.leaseDuration(), inFlight.leases().keySet(), room, rooms)
                .onItem().transformToMulti(claimed -> Multi.createFrom().iterable(claimed))
                // One that cannot be resumed (its lease is lost, the database hiccups) leaves the others be:
                // its lease expires and it is claimed again.
                .onItem().transformToUniAndMerge(claimed -> resume(claimed).onFailure().recoverWithItem(failure -> {
                    LOG.warnf("execution %s could not be resumed: %s", claimed.id(), failure.getMessage());
                    return claimed.id();
                }))
                .collect().asList()
                .subscribe().with(
                        resumed -> {
                            polling.set(false);
                            // A full batch means more may be due.
                            if (resumed.size() == batch || pollAgain.get()) {
                                poll();
                            }
                        },
                        failure -> {
                            polling.set(false);
                            LOG.errorf(failure, "claiming due executions failed");
                        });
    }

    private Uni<UUID> resume(ClaimedExecution claimed) {
        if (claimed.driverAttempts() > config.quarantineAfter()) {
            // Each of its last drivers stopped abnormally (out of memory, a crash): another would too.
            String reason = "quarantined: driving it failed abnormally " + (claimed.driverAttempts() - 1)
                    + " times in a row (workflow.quarantine-after=" + config.quarantineAfter() + ")"
                    + (claimed.driverError() == null ? "" : "; last: " + claimed.driverError())
                    + "; change the definition or the context, then retry it";
            LOG.errorf("execution %s %s", claimed.id(), reason);
            return store.failUnrunnable(claimed.id(), claimed.leaseToken(), reason).replaceWith(claimed.id());
        }
        return workflows.findById(claimed.workflowId()).map(workflow -> {
            // The slot is taken where the driver starts, so that no cancelled or failed look-up keeps it.
            inFlight.take(claimed.tenantId());
            ExecutionState state = new ExecutionState(claimed.id(), claimed.leaseToken(), claimed.tenantId(),
                    workflow.definition(), claimed.context(), claimed.runNumber(), claimed.currentStep(),
                    claimed.runningTimeMs(), Instant.now());
            state.dataBytes = claimed.contextBytes();
            state.cancelRequested = claimed.cancelRequested();
            state.resumedStep = claimed.currentStepRow();
            state.compensationStep = claimed.compensationStep();
            // While undoing, the error that set it off; it ends the execution.
            state.errorMessage = claimed.errorMessage();
            dispatch(state);
            return claimed.id();
        }).onFailure().recoverWithUni(failure -> {
            // Its definition does not load (a row no parser version accepts): it can never run. Failing it
            // keeps it from taking a claim slot again and again, and the other claimed executions go on.
            String reason = "the workflow definition " + claimed.workflowId() + " cannot be loaded: " + failure.getMessage();
            LOG.errorf("execution %s cannot run, recording it as failed: %s", claimed.id(), reason);
            return store.failUnrunnable(claimed.id(), claimed.leaseToken(), reason).replaceWith(claimed.id());
        });
    }

    private void dispatch(ExecutionState state) {
        inFlight.drive(state.id, state.leaseToken, state.tenantId);
        runner.drive(state)
                .onFailure(failure -> !(failure instanceof LeaseLostException)).recoverWithUni(failure -> {
                    if (state.callsUnwritten) {
                        // Recorded as failed, it would lack calls that had their effect: the next driver sends them
                        // again with their Idempotency-Keys, after the lease expires (quarantined after enough tries).
                        LOG.errorf(failure, "execution %s stopped unexpectedly with calls not yet written; it resumes"
                                + " from its last write when its lease expires", state.id);
                        return store.recordDriverFailure(state.id, state.leaseToken,
                                failure.getClass().getSimpleName() + ": " + failure.getMessage()).onFailure().recoverWithNull().replaceWithVoid();
                    }
                    LOG.errorf(failure, "execution %s stopped unexpectedly; recording it as failed", state.id);
                    // If even that cannot be written, the lease expires and the execution resumes from its
                    // last checkpoint, a driver attempt the more (quarantined after workflow.quarantine-after).
                    return runner.abandon(state, failure).onFailure().call(unwritten -> store.recordDriverFailure(
                            state.id, state.leaseToken, failure.getClass().getSimpleName() + ": " + failure.getMessage())
                            .onFailure().recoverWithNull());
                })
                .subscribe().with(
                        done -> {
                            inFlight.stopped(state.id, state.leaseToken);
                            if (state.nextWakeAt != null && !state.status.isTerminal()) {
                                dueTimer.at(state.nextWakeAt);
                            }
                            if (state.status == ExecutionStatus.WAITING && state.waitEvent != null) {
                                wakeIfItsEventCame(state);
                            }
                        },
                        failure -> {
                            inFlight.stopped(state.id, state.leaseToken);
                            if (failure instanceof LeaseLostException) {
                                LOG.warnf("execution %s: %s; another driver has it, or it ended elsewhere", state.id, failure.getMessage());
                            } else {
                                LOG.errorf(failure, "execution %s could not be recorded as failed; it resumes when its lease expires", state.id);
                            }
                        });
    }

    // Its event may have been recorded while the checkpoint into the wait was committed: seen by neither.
    private void wakeIfItsEventCame(ExecutionState state) {
        store.wakeIfItsEventCame(state.id, state.waitEvent, state.waitKey, state.wakeEventsSince).subscribe().with(
                woken -> {
                    if (woken) {
                        LOG.debugf("execution %s: its event came as it began to wait; it is due now", state.id);
                        poll();
                    }
                },
                failure -> LOG.warnf("execution %s: could not look for an event that came as it began to wait"
                        + " (its next check finds it): %s", state.id, failure.getMessage()));
    }

    private void renewLeases() {
        Map<UUID, String> held = inFlight.leases();
        if (held.isEmpty()) {
            return;
        }
        store.renewLeases(held, config.leaseDuration()).subscribe().with(
                renewed -> {
                    if (renewed < held.size()) {
                        LOG.debugf("renewed %d of %d leases (the others finished, were lost, or are being written)",
                                (Object) renewed, held.size());
                    }
                },
                failure -> LOG.warnf("renewing leases failed: %s", failure.getMessage()));
    }

    public record StartRequest(String workflowName, Map<String, Object> context, String tenantId, String triggerType,
                               String triggerSource, String idempotencyKey) {
    }

    /** {@code driven}: this start created it and drives it now (else it waits, pending, for a claim). */
    public record Started(UUID id, boolean created, boolean driven) {
    }
}
