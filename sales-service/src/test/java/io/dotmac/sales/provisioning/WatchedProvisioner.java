package io.dotmac.sales.provisioning;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The recording provisioner, as every test of this module gets it, with what the tests watch and
 * steer: the calls it had for each customer tenant slug, in order, and a service's activation held
 * until the test lets it go. It provisions what the recording provisioner does; a teardown takes a
 * moment, so that cancels sent at once do overlap.
 */
@Alternative
@Priority(1)
@Singleton // no client proxy: the recording provisioner it extends has no constructor without parameters
public class WatchedProvisioner extends RecordingProvisioner {

    public static final String DEPROVISION = "deprovision";
    private static final Duration TEARDOWN_TIME = Duration.ofMillis(200);

    private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    WatchedProvisioner(@ConfigProperty(name = "controlplane.tenant-base-domain") String baseDomain, ProvisioningFaults faults) {
        super(baseDomain, faults);
    }

    /** The calls made for the customer tenant with this slug, first first: "tenant", "deployment", "activate <code>", "deprovision". */
    public List<String> callsFor(String slug) {
        return List.copyOf(calls.getOrDefault(slug, List.of()));
    }

    public long teardownsOf(String slug) {
        return Collections.frequency(callsFor(slug), DEPROVISION);
    }

    /** The next activation of this service code waits, holding its order's lock, until the hold is released. */
    public Hold hold(String serviceCode) {
        Hold hold = new Hold();
        holds.put(serviceCode, hold);
        return hold;
    }

    @Override
    public Uni<Void> provisionTenant(TenantSpec tenant) {
        record(tenant.slug(), "tenant");
        return super.provisionTenant(tenant);
    }

    @Override
    public Uni<DeploymentResult> provisionDeployment(DeploymentSpec deployment) {
        record(deployment.tenantSlug(), "deployment");
        return super.provisionDeployment(deployment);
    }

    @Override
    public Uni<Completion> activateService(ActivationSpec activation) {
        record(activation.tenantSlug(), "activate " + activation.serviceCode());
        Hold hold = holds.remove(activation.serviceCode());
        if (hold == null) {
            return super.activateService(activation);
        }
        hold.reached.complete(null);
        return onCallersContext(Uni.createFrom().completionStage(hold.released).ifNoItem().after(Duration.ofSeconds(30)).fail())
                .chain(() -> super.activateService(activation));
    }

    @Override
    public Uni<Completion> deprovision(DeprovisionSpec order) {
        record(order.tenantSlug(), DEPROVISION);
        return onCallersContext(Uni.createFrom().voidItem().onItem().delayIt().by(TEARDOWN_TIME))
                .chain(() -> super.deprovision(order));
    }

    // The caller goes on with its Hibernate Reactive session, which must stay on its Vert.x context:
    // not on the test's thread that released a hold, nor on the timer's.
    private static <T> Uni<T> onCallersContext(Uni<T> waiting) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            return waiting.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }

    private void record(String slug, String call) {
        calls.computeIfAbsent(slug, ignored -> new CopyOnWriteArrayList<>()).add(call);
    }

    /** An activation held by a test: reached once the provisioner was asked for it, going on once released. */
    public static final class Hold {

        private final CompletableFuture<Void> reached = new CompletableFuture<>();
        private final CompletableFuture<Void> released = new CompletableFuture<>();

        public void awaitReached() throws Exception {
            reached.get(30, TimeUnit.SECONDS);
        }

        public void release() {
            released.complete(null);
        }
    }
}
