package io.dotmac.sales.provisioning;

import io.dotmac.common.error.DomainException.Conflict;
import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.metrics.Funnel;
import io.dotmac.sales.order.Order;
import io.dotmac.sales.order.OrderRepository;
import io.dotmac.sales.order.OrderService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Dunning's part in sales: the customer tenant a quote's order provisioned is suspended while the
 * subscription's invoice stays unpaid (access blocked, its deployment kept) and reinstated by a later
 * payment. The recording provisioner has nothing outside this service to block: the suspension is
 * the row's state. Each call locks the order, so concurrent ones take turns and one makes the change.
 */
@ApplicationScoped
public class CustomerTenantService {

    private static final Logger LOG = Logger.getLogger(CustomerTenantService.class);

    private final OrderRepository orders;
    private final CustomerTenantRepository tenants;
    private final Funnel funnel;

    CustomerTenantService(OrderRepository orders, CustomerTenantRepository tenants, Funnel funnel) {
        this.orders = orders;
        this.tenants = tenants;
        this.funnel = funnel;
    }

    /** The quote's order and its customer tenant after a change; {@code changed} false when it was so already. */
    public record StatusChange(Order order, CustomerTenant tenant, boolean changed) {
    }

    /** Suspends the quote's customer tenant; safe to repeat. 404 without an order of the quote, 409 without a tenant to suspend. */
    @WithTransaction
    public Uni<StatusChange> suspend(String tenantId, String quoteId, String reason) {
        String why = given(reason);
        // In microseconds, as PostgreSQL keeps it: this answer shows the time that later ones read.
        OffsetDateTime now = OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
        return change(tenantId, quoteId, "suspend", tenant -> tenant.suspend(why, now))
                .invoke(change -> {
                    if (change.changed()) {
                        log("Suspended", change, why);
                        funnel.reached(Funnel.Stage.SUSPENDED);
                    }
                });
    }

    /** Makes the quote's suspended customer tenant active again; safe to repeat. 404 and 409 as for a suspension. */
    @WithTransaction
    public Uni<StatusChange> reinstate(String tenantId, String quoteId, String reason) {
        return change(tenantId, quoteId, "reinstate", CustomerTenant::reinstate)
                .invoke(change -> {
                    if (change.changed()) {
                        log("Reinstated", change, given(reason));
                    }
                });
    }

    private Uni<StatusChange> change(String tenantId, String requestedQuoteId, String what, Predicate<CustomerTenant> transition) {
        String quoteId = OrderService.normalized(requestedQuoteId);
        return orders.lockByQuote(tenantId, quoteId)
                .onItem().ifNull().failWith(() -> new NotFound("No order of quote " + quoteId))
                .chain(order -> {
                    if (order.customerTenantId == null) {
                        return Uni.createFrom().failure(new Conflict("Order " + order.id + " of quote " + quoteId + " is "
                                + order.status.wire() + " and has provisioned no customer tenant yet: there is none to " + what));
                    }
                    return tenants.findById(order.customerTenantId)
                            .map(tenant -> new StatusChange(order, tenant, transition.test(tenant)));
                });
    }

    private static String given(String reason) {
        return reason == null || reason.isBlank() ? null : reason.trim();
    }

    private static void log(String done, StatusChange change, String reason) {
        // On one line, whatever the caller sent as the reason.
        LOG.infof("%s customer tenant %s (order %s, quote %s) of tenant %s; reason: %s", done, change.tenant().slug,
                change.order().id, change.order().quoteId, change.order().tenantId,
                reason == null ? "none given" : reason.replaceAll("\\p{Cntrl}", " "));
    }
}
