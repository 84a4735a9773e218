package io.dotmac.sales.provisioning;

import io.dotmac.common.error.DomainException;
import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderRepository;
import io.dotmac.sales.order.OrderService;
import io.dotmac.sales.order.OrderStatus;
import io.dotmac.sales.order.OrderView;
import io.dotmac.sales.support.SeparateTransaction;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * What a subscription does to the customer tenant a quote's order provisioned: dunning puts an
 * invoice's hold on it while that invoice stays unpaid (access blocked, its deployment kept) and lifts
 * it on a later payment, and an operator may put their own; it is suspended while any hold is on it.
 * The subscription's end tears it down, by cancelling the order. The recording provisioner has
 * nothing outside this service to block: the suspension is the row's state. Each change locks the
 * order, so concurrent ones take turns and one makes the change.
 */
@ApplicationScoped
public class CustomerTenantService {

    private static final Logger LOG = Logger.getLogger(CustomerTenantService.class);

    private final OrderRepository orders;
    private final OrderService orderService;
    private final CustomerTenantRepository tenants;
    private final Funnel funnel;
    private final SeparateTransaction tx;

    CustomerTenantService(OrderRepository orders, OrderService orderService, CustomerTenantRepository tenants, Funnel funnel,
                          SeparateTransaction tx) {
        this.orders = orders;
        this.orderService = orderService;
        this.tenants = tenants;
        this.funnel = funnel;
        this.tx = tx;
    }

    /** A quote's order and the customer tenant it provisioned, with its holds (null for none, which only a deprovisioning answers). */
    public record TenantOfQuote(Order order, CustomerTenant tenant) {
    }

    /** The quote's order and customer tenant after a change; {@code changed} false when there was nothing to do. */
    public record StatusChange(TenantOfQuote current, boolean changed) {
    }

    /**
     * The quote's order and its customer tenant, with its holds. 404 without an order of the quote
     * in this tenant, and for an order that provisioned no customer tenant.
     */
    @WithSession
    public Uni<TenantOfQuote> get(String tenantId, String requestedQuoteId) {
        String quoteId = OrderService.normalized(requestedQuoteId);
        return orders.findByQuote(tenantId, quoteId).onItem().ifNull().failWith(() -> noOrder(quoteId))
                .chain(order -> withTenant(order, NotFound::new));
    }

    /**
     * Puts {@code hold} (the operator's when null) on the quote's customer tenant, suspending it
     * while any hold is on it; changed false when that hold is on already. 404 without an order of
     * the quote, 409 without a tenant to suspend or once it is torn down.
     */
    @WithTransaction
    public Uni<StatusChange> suspend(String tenantId, String quoteId, String hold, String reason) {
        String name = Hold.named(hold);
        String why = given(reason);
        // In microseconds, as PostgreSQL keeps it: this answer shows the time that later ones read.
        OffsetDateTime now = OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
        return change(tenantId, quoteId, "suspend", tenant -> {
            boolean wasActive = CustomerTenant.ACTIVE.equals(tenant.status);
            boolean put = tenant.hold(name, why, now);
            if (put && wasActive) {
                funnel.reached(Funnel.Stage.SUSPENDED);
            }
            return put;
        }).invoke(change -> {
            if (change.changed()) {
                log("Put hold " + name + " on", change, why);
            }
        });
    }

    /**
     * Lifts {@code hold} (the operator's when null) from the quote's customer tenant, active again
     * once no hold is left; changed false when it was not on, whatever the tenant's status (a torn
     * down one too). 404 without an order of the quote, 409 for an order that provisioned no tenant.
     */
    @WithTransaction
    public Uni<StatusChange> reinstate(String tenantId, String quoteId, String hold, String reason) {
        String name = Hold.named(hold);
        return change(tenantId, quoteId, "reinstate", tenant -> tenant.lift(name))
                .invoke(change -> {
                    if (change.changed()) {
                        log("Lifted hold " + name + " from", change, given(reason));
                    }
                });
    }

    /**
     * Tears down the quote's customer tenant, suspended or not, with its deployment and services, by
     * cancelling the order as {@link OrderService#cancel} does: the subscription ended and its
     * retention is over. Its holds stay on record. Safe to repeat: changed is false once the order is
     * cancelled. 404 without an order of the quote; an order that provisioned no customer tenant is
     * cancelled all the same. The order is cancelled in one transaction, and the teardown awaited after it.
     */
    public Uni<StatusChange> deprovision(String tenantId, String quoteId, String reason) {
        return tx.run(() -> deprovisionLocked(tenantId, quoteId))
                .invoke(done -> {
                    if (done.change().changed()) {
                        log("Deprovisioned", done.change(), given(reason));
                    }
                })
                .call(done -> done.cancellation().finished())
                .map(Deprovisioned::change);
    }

    private Uni<Deprovisioned> deprovisionLocked(String tenantId, String quoteId) {
        // Locked before it is read: of concurrent calls, one finds the order not yet cancelled.
        return lockedOrder(tenantId, OrderService.normalized(quoteId)).chain(order -> {
            boolean cancelled = order.status == OrderStatus.CANCELLED;
            return orderService.cancelLocked(tenantId, order.id).chain(cancellation -> {
                OrderView view = cancellation.view();
                Uni<CustomerTenant> tenant = view.tenant() == null ? Uni.createFrom().nullItem() : tenants.withHolds(view.tenant());
                return tenant.map(found -> new Deprovisioned(new StatusChange(new TenantOfQuote(view.order(), found), !cancelled),
                        cancellation));
            });
        });
    }

    private record Deprovisioned(StatusChange change, OrderService.Cancellation cancellation) {
    }

    private Uni<StatusChange> change(String tenantId, String requestedQuoteId, String what, Predicate<CustomerTenant> transition) {
        return lockedOrder(tenantId, OrderService.normalized(requestedQuoteId))
                .chain(order -> withTenant(order, detail -> new Conflict(detail + " yet: there is none to " + what)))
                .map(current -> new StatusChange(current, transition.test(current.tenant())));
    }

    private Uni<Order> lockedOrder(String tenantId, String quoteId) {
        return orders.lockByQuote(tenantId, quoteId).onItem().ifNull().failWith(() -> noOrder(quoteId));
    }

    private static NotFound noOrder(String quoteId) {
        return new NotFound("No order of quote " + quoteId);
    }

    /** The order's customer tenant with its holds; {@code none} says what an order that provisioned none is. */
    private Uni<TenantOfQuote> withTenant(Order order, Function<String, DomainException> none) {
        if (order.customerTenantId == null) {
            return Uni.createFrom().failure(none.apply("Order " + order.id + " of quote " + order.quoteId + " is "
                    + order.status.wire() + " and has provisioned no customer tenant"));
        }
        return tenants.findById(order.customerTenantId).chain(tenants::withHolds).map(tenant -> new TenantOfQuote(order, tenant));
    }

    private static String given(String reason) {
        return reason == null || reason.isBlank() ? null : reason.trim();
    }

    private static void log(String done, StatusChange change, String reason) {
        Order order = change.current().order();
        // On one line, whatever the caller sent as the reason. The order's slug: a deprovisioned order may have no tenant.
        LOG.infof("%s customer tenant %s (order %s, quote %s) of tenant %s; reason: %s", done, order.organizationSlug,
                order.id, order.quoteId, order.tenantId, reason == null ? "none given" : reason.replaceAll("\\p{Cntrl}", " "));
    }
}
