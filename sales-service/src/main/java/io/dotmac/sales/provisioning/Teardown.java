package io.dotmac.sales.provisioning;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * The undo of order processing, for a cancel: tears down what the order provisioned through the
 * {@link Provisioner} and records it on the rows (status {@code deprovisioned} and the time),
 * whichever provisioner did it. The rows are kept: they are the record of what was provisioned.
 * The customer tenant keeps its slug, and its reservation stays as it is: the slug belongs to the
 * accepted quote's customer, not to the next order that asks for it.
 *
 * <p>It runs in the cancel's transaction, with the order locked ({@code OrderService.cancel}): the
 * teardown is recorded together with the order becoming cancelled or not at all, a second cancel
 * waits and finds the order cancelled (one teardown), and processing, which locks the order for
 * each part, cannot provision anything in between or after.
 */
@ApplicationScoped
public class Teardown {

    private final Provisioner provisioner;

    Teardown(Provisioner provisioner) {
        this.provisioner = provisioner;
    }

    /** Tears down what the view's order provisioned; nothing to do (no provisioner call) when it provisioned nothing. */
    public Uni<Void> tearDown(OrderView view) {
        Order order = view.order();
        if (view.tenant() == null && view.deployment() == null && view.activations().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        var spec = new Provisioner.DeprovisionSpec(order.id, order.customerTenantId, order.deploymentInstanceId,
                order.organizationSlug, order.region, view.activations().stream().map(a -> a.serviceCode).toList());
        return Uni.createFrom().deferred(() -> provisioner.deprovision(spec))
                // Retryable like a failed provisioning: nothing was recorded, and the provisioner's calls are safe to repeat.
                .onFailure().transform(e -> new UpstreamFailed("Order " + order.id
                        + " could not be cancelled: tearing down what it provisioned failed: " + Downstream.rootMessage(e)
                        + "; cancelling it again retries"))
                .invoke(() -> {
                    OffsetDateTime at = OffsetDateTime.now();
                    view.activations().forEach(activation -> activation.deprovisioned(at));
                    if (view.deployment() != null) {
                        view.deployment().deprovisioned(at);
                    }
                    if (view.tenant() != null) {
                        view.tenant().deprovisioned(at);
                    }
                });
    }
}
