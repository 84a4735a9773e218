package io.dotmac.workflow.engine;

import io.dotmac.workflow.config.EngineConfig;
import io.dotmac.workflow.execution.ClaimedExecution;
import io.dotmac.workflow.execution.ExecutionState;
import io.dotmac.workflow.execution.ExecutionStatus;
import io.dotmac.workflow.execution.ExecutionStore;
import io.dotmac.workflow.execution.LeaseLostException;
import io.dotmac.workflow.quota.TenantQuotas;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * This instance's share of the work: it claims due executions (new, woken, retried, or left by an
 * instance that died) on a short poll and when told they are due, drives each through the
 * {@link ExecutionRunner} within this instance's and each tenant's room in flight, and renews the
 * leases of those it drives, so that every unfinished execution is driven by exactly one instance
 * at a time.
 */
@ApplicationScoped
class ClaimLoop {

    private static final Logger LOG = Logger.getLogger(ClaimLoop.class);
    private static final int CLAIM_BATCH = 64;

    private final WorkflowRepository workflows;
    private final ExecutionStore store;
    private final ExecutionRunner runner;
    private final EngineConfig config;
    private final Vertx vertx;
    private final TenantQuotas quotas;
    private final String owner;
    private final long pollIntervalMs;
    private final InFlight inFlight = new InFlight();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();
    private final DueTimer dueTimer;
    private final StepTraces traces;

    ClaimLoop(WorkflowRepository workflows, ExecutionStore store, ExecutionRunner runner, EngineConfig config, Vertx vertx,
              EngineIdentity identity, TenantQuotas quotas, StepTraces traces) {
        this.workflows = workflows;
        this.store = store;
        this.runner = runner;
        this.config = config;
        this.vertx = vertx;
        this.quotas = quotas;
        this.owner = identity.owner();
        this.pollIntervalMs = config.pollInterval().toMillis();
        this.dueTimer = new DueTimer(vertx, this::poll);
        this.traces = traces;
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

    /** Takes a slot in flight for a new execution of {@code tenantId}, if this instance and the tenant have room. */
    boolean tryTake(String tenantId) {
        return config.engineEnabled() && inFlight.tryTake(tenantId, config.maxInFlight(), quotas.of(tenantId).maxInFlight());
    }

    /** Gives back a slot taken for an execution that is not driven here after all. */
    void giveBack(String tenantId) {
        inFlight.giveBack(tenantId);
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
            // Started before traces were kept: its steps, from here, in a trace of their own.
            state.traceparent = claimed.traceparent() != null ? claimed.traceparent()
                    : traces.start(claimed.id(), workflow.definition().name(), claimed.tenantId(), "claim", null);
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

    /** Drives the execution, whose slot is taken, until this instance stops driving it. */
    void dispatch(ExecutionState state) {
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
}
