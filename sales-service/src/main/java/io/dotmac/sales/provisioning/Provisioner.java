package io.dotmac.sales.provisioning;

import io.dotmac.sales.order.OrderedService;
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

    /**
     * One bought service switched on in the deployment: what it takes is written now, in the
     * caller's transaction; the {@link Completion} waits until the service serves, or fails with why
     * it cannot, and is awaited once that transaction committed.
     */
    Uni<Completion> activateService(ActivationSpec activation);

    /**
     * Tears down what was provisioned for a cancelled order: its services, its deployment, then its
     * customer tenant, whatever of them exists, also what a failed attempt made before recording it.
     * Safe to repeat, like the rest: a teardown whose success was not recorded (the cancel failed
     * after it) is asked again. A failure of this call leaves the order and its parts as they were,
     * and cancelling again retries. The teardown is asked for now, in the cancel's transaction; the
     * {@link Completion} waits until it is done, once the cancel committed (its failure: the order is
     * cancelled, and the platform goes on with the teardown).
     */
    Uni<Completion> deprovision(DeprovisionSpec order);

    /**
     * What a call started and its platform finishes in its own time (a rollout, a namespace's
     * deletion): awaited outside any transaction, so that no order lock, transaction or pooled
     * connection is held for the seconds it takes. A failure says why it did not finish.
     */
    @FunctionalInterface
    interface Completion {

        Completion DONE = () -> Uni.createFrom().voidItem();

        Uni<Void> await();
    }

    /**
     * The customer tenant for an order: its {@code slug} names it everywhere (a DNS label), the
     * order's vendor tenant, region and services say where it lives and how large it is.
     */
    record TenantSpec(UUID id, String slug, String name, UUID orderId, String vendorTenant, String region,
                      List<OrderedService> services) {
    }

    /**
     * The deployment of an order's services in its region; {@code caller} is whoever asked for the
     * order to be processed, on whose behalf the provisioner may read other services (the licenses
     * of the quote the order was made from).
     */
    record DeploymentSpec(UUID id, UUID orderId, UUID customerTenantId, String tenantSlug, String region, String quoteId,
                          List<OrderedService> services, Caller caller) {
    }

    record DeploymentResult(String status, String endpointUrl) {
    }

    record ActivationSpec(UUID id, UUID orderId, UUID deploymentInstanceId, String tenantSlug, String region,
                          String serviceCode, int quantity) {
    }

    record DeprovisionSpec(UUID orderId, UUID customerTenantId, UUID deploymentInstanceId, String tenantSlug, String region,
                           List<String> serviceCodes) {
    }

    /**
     * The Authorization header of the request that processes the order, passed on to the services
     * read on its behalf ({@code Downstream}): provisioning runs in transactions of its own, where
     * the request's token cannot be looked up.
     */
    record Caller(String authorization) {

        // A spec may be logged: the token must not be.
        @Override
        public String toString() {
            return "Caller[authorization=<hidden>]";
        }
    }
}
