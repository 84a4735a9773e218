package io.dotmac.sales.provisioning;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * What makes an order's customer tenant, deployment and services real. Processing records each part
 * as done once its call succeeded, and calls again, on a retry, whatever was not recorded: so each
 * call must be safe to repeat for the same id. A failure (a failed {@code Uni}) is recorded on the
 * order with the failure's message. Cancelling an order calls {@link #deprovision} to undo it all.
 */
public interface Provisioner {

    /** The customer tenant's workspace (a namespace, an identity realm...). */
    Uni<Void> provisionTenant(TenantSpec tenant);

    /** The deployment serving the tenant in a region; reports its status and where it answers. */
    Uni<DeploymentResult> provisionDeployment(DeploymentSpec deployment);

    /** One bought service switched on in the deployment. */
    Uni<Void> activateService(ActivationSpec activation);

    /**
     * Tears down what was provisioned for a cancelled order: its services, its deployment, then its
     * customer tenant, of those that exist (a null id: never provisioned). Safe to repeat, like the
     * rest: a teardown whose success was not recorded (the cancel failed after it) is asked again.
     * A failure leaves the order and its parts as they were, and cancelling again retries.
     */
    Uni<Void> deprovision(DeprovisionSpec order);

    record TenantSpec(UUID id, String slug, String name) {
    }

    record DeploymentSpec(UUID id, UUID customerTenantId, String tenantSlug, String region) {
    }

    record DeploymentResult(String status, String endpointUrl) {
    }

    record ActivationSpec(UUID id, UUID deploymentInstanceId, String tenantSlug, String serviceCode, int quantity) {
    }

    record DeprovisionSpec(UUID orderId, UUID customerTenantId, UUID deploymentInstanceId, String tenantSlug, String region,
                           List<String> serviceCodes) {
    }
}
