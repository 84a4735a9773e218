package io.dotmac.sales.provisioning;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What makes an order's customer tenant, deployment and services real. Processing records each part
 * as done once its call succeeded, and calls again, on a retry, whatever was not recorded: so each
 * call must be safe to repeat for the same id. A failure (a failed {@code Uni}) is recorded on the
 * order with the failure's message.
 */
public interface Provisioner {

    /** The customer tenant's workspace (a namespace, an identity realm...). */
    Uni<Void> provisionTenant(TenantSpec tenant);

    /** The deployment serving the tenant in a region; reports its status and where it answers. */
    Uni<DeploymentResult> provisionDeployment(DeploymentSpec deployment);

    /** One bought service switched on in the deployment. */
    Uni<Void> activateService(ActivationSpec activation);

    record TenantSpec(UUID id, String slug, String name) {
    }

    record DeploymentSpec(UUID id, UUID customerTenantId, String tenantSlug, String region) {
    }

    record DeploymentResult(String status, String endpointUrl) {
    }

    record ActivationSpec(UUID id, UUID deploymentInstanceId, String tenantSlug, String serviceCode, int quantity) {
    }
}
