package io.dotmac.sales.provisioning;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The default provisioner: provisions nothing outside this service. The tenant, the deployment and
 * the activations are recorded by order processing; this marks the deployment running at
 * {@code https://<slug>.<controlplane.tenant-base-domain>} and fails the activations that
 * {@link ProvisioningFaults} names. Their teardown, when the order is cancelled, is recorded the
 * same way, by {@link Teardown} marking the rows deprovisioned, whichever provisioner did it.
 *
 * <p>The default ({@code sales.provisioner=recording}, {@link ProvisionerSelection}): local runs and
 * the tests provision nothing outside; {@code kubernetes} provisions in the regions' clusters.
 */
@Identifier("recording")
@ApplicationScoped
public class RecordingProvisioner implements Provisioner {

    public static final String RUNNING = "running";

    private final String baseDomain;
    private final ProvisioningFaults faults;

    RecordingProvisioner(@ConfigProperty(name = "controlplane.tenant-base-domain") String baseDomain,
                         ProvisioningFaults faults) {
        this.baseDomain = baseDomain;
        this.faults = faults;
    }

    @Override
    public Uni<Void> provisionTenant(TenantSpec tenant) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<DeploymentResult> provisionDeployment(DeploymentSpec deployment) {
        return Uni.createFrom().item(new DeploymentResult(RUNNING, "https://" + deployment.tenantSlug() + "." + baseDomain));
    }

    @Override
    public Uni<Completion> activateService(ActivationSpec activation) {
        if (faults.failsActivationOf(activation.serviceCode())) {
            return Uni.createFrom().failure(new IllegalStateException("set to fail by sales.provisioning.fail-services"));
        }
        return Uni.createFrom().item(Completion.DONE);
    }

    /** Nothing outside this service to delete: the teardown is the rows marked deprovisioned. */
    @Override
    public Uni<Completion> deprovision(DeprovisionSpec order) {
        return Uni.createFrom().item(Completion.DONE);
    }
}
