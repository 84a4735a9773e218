package io.dotmac.sales.provisioning;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.UpstreamFailed;
import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderStatus;
import io.dotmac.sales.order.OrderView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/**
 * The undo of order processing, for a cancel: tears down what the order provisioned through the
 * {@link Provisioner} and records it on the rows (status {@code deprovisioned} and the time),
 * whichever provisioner did it. The rows are kept: they are the record of what was provisioned.
 * The customer tenant keeps its slug, and its reservation stays as it is: the slug belongs to the
 * accepted quote's customer, not to the next order that asks for it.
 *
 * <p>It runs in the cancel's transaction, with the order locked ({@code OrderService.cancelLocked}):
 * the teardown is asked for and recorded together with the order becoming cancelled or not at all,
 * a second cancel waits and finds the order cancelled (one teardown), and processing, which locks
 * the order for each part, cannot provision anything in between or after. What the platform then
 * takes to finish it (a namespace's deletion) is awaited once that transaction committed.
 */
@ApplicationScoped
public class Teardown {

    private static final Logger LOG = Logger.getLogger(Teardown.class);

    private final Provisioner provisioner;

    Teardown(Provisioner provisioner) {
        this.provisioner = provisioner;
    }

    /**
     * Asks for what the view's order provisioned to be torn down, and records it so; nothing to do (no
     * provisioner call) for an order never processed. An order processed without a record of any part
     * is asked about too: an attempt may have made something before it could record it.
     */
    public Uni<Provisioner.Completion> tearDown(OrderView view) {
        Order order = view.order();
        if (order.status == OrderStatus.DRAFT || order.status == OrderStatus.SUBMITTED) {
            return Uni.createFrom().item(Provisioner.Completion.DONE);
        }
        var spec = new Provisioner.DeprovisionSpec(order.id, order.customerTenantId, order.deploymentInstanceId,
                order.organizationSlug, order.region, view.activations().stream().map(a -> a.serviceCode).toList());
        boolean nothingRecorded = view.tenant() == null && view.deployment() == null && view.activations().isEmpty();
        return Uni.createFrom().deferred(() -> provisioner.deprovision(spec))
                // Nothing recorded: the attempt most likely failed before it made anything (a region without a
                // cluster, say), and the order is cancelled all the same.
                .onFailure(e -> nothingRecorded).recoverWithItem(e -> {
                    LOG.warnf("order %s: cancelled without a teardown of what an attempt may have made before recording it: %s",
                            order.id, Downstream.rootMessage(e));
                    return Provisioner.Completion.DONE;
                })
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
