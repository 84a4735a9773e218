package io.dotmac.sales.provisioning;

import io.dotmac.common.client.Downstream;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.payment.PaidQuotes;
import io.dotmac.sales.order.OrderRepository;
import io.dotmac.sales.order.OrderStatus;
import io.dotmac.sales.order.OrderView;
import io.dotmac.sales.order.OrderViews;
import io.dotmac.sales.support.SeparateTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Submits and processes orders: provisions the customer tenant, then the deployment, then each
 * service activation, and makes the order active when all completed. Every part commits in a
 * transaction of its own ({@link SeparateTransaction}), and an activation's wait for its service to
 * serve holds none (nor the order's lock), so what was done stays recorded when a later part fails, the order is left {@code failed} with the reason, and processing it again
 * resumes where it stopped, without a second tenant or deployment. A cancel ({@link Teardown}) may
 * come between two parts: the next part finds the order cancelled and stops with a 409.
 *
 * <p>Nothing is submitted or provisioned before billing-service reports the order's quote paid,
 * in full and in the order's currency ({@link PaidQuotes}): whoever calls, a workflow in any order
 * of steps or an operator directly. Processing a paid draft submits it on the way, so a workflow
 * need not call submit between create_order_from_quote and process_order.
 */
@ApplicationScoped
public class OrderProcessor {

    private static final Logger LOG = Logger.getLogger(OrderProcessor.class);

    private final ProvisioningSteps steps;
    private final OrderViews views;
    private final SeparateTransaction tx;
    private final OrderRepository orders;
    private final PaidQuotes paid;
    private final JsonWebToken caller;

    OrderProcessor(ProvisioningSteps steps, OrderViews views, SeparateTransaction tx, OrderRepository orders, PaidQuotes paid,
                   JsonWebToken caller) {
        this.steps = steps;
        this.views = views;
        this.tx = tx;
        this.orders = orders;
        this.paid = paid;
        this.caller = caller;
    }

    /** Submits the order; with {@code autoActivate} processes it too (and resumes a failed one). */
    public Uni<OrderView> submit(String tenantId, UUID orderId, boolean autoActivate) {
        return requirePaid(tenantId, orderId, "submitted")
                .chain(() -> tx.run(() -> steps.submit(tenantId, orderId, autoActivate)))
                .chain(status -> autoActivate ? processIfNeeded(tenantId, orderId) : Uni.createFrom().voidItem())
                .chain(() -> view(tenantId, orderId));
    }

    /**
     * Processes a submitted order (a draft is submitted first, once its quote is known paid), resumes
     * a failed or interrupted one; an active order is returned as it is, a cancelled one is 409.
     */
    public Uni<OrderView> process(String tenantId, UUID orderId) {
        return requirePaid(tenantId, orderId, "processed")
                .chain(() -> processIfNeeded(tenantId, orderId))
                .chain(() -> view(tenantId, orderId));
    }

    // An active order is answered as it is and a cancelled one refused as before: neither is provisioned now.
    private Uni<Void> requirePaid(String tenantId, UUID orderId, String what) {
        return tx.run(() -> orders.findOwned(tenantId, orderId))
                .onItem().ifNull().failWith(() -> new NotFound("Order " + orderId + " not found"))
                .chain(order -> order.status == OrderStatus.ACTIVE || order.status == OrderStatus.CANCELLED
                        ? Uni.createFrom().voidItem()
                        : paid.requirePaid(order.quoteId, order.totalAmount, order.currency,
                                "Order " + orderId + " cannot be " + what).replaceWithVoid());
    }

    private Uni<Void> processIfNeeded(String tenantId, UUID orderId) {
        return tx.run(() -> steps.startProcessing(tenantId, orderId))
                .chain(started -> started ? provision(tenantId, orderId) : Uni.createFrom().voidItem());
    }

    private Uni<Void> provision(String tenantId, UUID orderId) {
        // Read here, in the request: the parts run in transactions of their own, outside its scope.
        var onBehalfOf = new Provisioner.Caller(Downstream.bearer(caller));
        return tx.run(() -> steps.ensureTenant(tenantId, orderId))
                .chain(() -> tx.run(() -> steps.ensureDeployment(tenantId, orderId, onBehalfOf)))
                .chain(() -> tx.run(() -> steps.prepareActivations(tenantId, orderId)))
                .chain(pending -> Multi.createFrom().iterable(pending)
                        .onItem().transformToUniAndConcatenate(activationId -> activate(tenantId, orderId, activationId))
                        .collect().last())
                .chain(() -> tx.run(() -> steps.finish(tenantId, orderId)))
                .onFailure(ProvisioningFailure.class).call(e -> {
                    LOG.warnf("order %s failed: %s", orderId, e.getMessage());
                    return tx.run(() -> steps.fail(tenantId, orderId, e.getMessage()));
                })
                .onFailure(ProvisioningFailure.class).transform(e -> {
                    ProvisioningFailure failure = (ProvisioningFailure) e;
                    return failure.answer("Order " + orderId + " failed: " + failure.getMessage()
                            + (failure.retryable() ? "; processing it again resumes where it stopped" : ""));
                });
    }

    // Started in one transaction, awaited holding none (a rollout takes seconds), its outcome recorded in another.
    private Uni<Void> activate(String tenantId, UUID orderId, UUID activationId) {
        return tx.run(() -> steps.activate(tenantId, orderId, activationId)).chain(started -> started == null
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().deferred(started::await)
                        .map(served -> (String) null)
                        .onFailure().recoverWithItem(Downstream::rootMessage)
                        .chain(failure -> tx.run(() -> steps.recordActivation(tenantId, orderId, activationId, failure))));
    }

    private Uni<OrderView> view(String tenantId, UUID orderId) {
        return tx.run(() -> views.get(tenantId, orderId));
    }
}
