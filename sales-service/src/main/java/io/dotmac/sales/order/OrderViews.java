package io.dotmac.sales.order;

import io.dotmac.common.error.DomainException.NotFound;
import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.sales.provisioning.CustomerTenant;
import io.dotmac.sales.provisioning.CustomerTenantRepository;
import io.dotmac.sales.provisioning.DeploymentInstance;
import io.dotmac.sales.provisioning.DeploymentInstanceRepository;
import io.dotmac.sales.provisioning.ServiceActivation;
import io.dotmac.sales.provisioning.ServiceActivationRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads orders as the API shows them, with their tenant, deployment and activations; a page of
 * orders costs four queries whatever its size. Another API tenant's order is not found (404).
 */
@ApplicationScoped
public class OrderViews {

    private final OrderRepository orders;
    private final CustomerTenantRepository tenants;
    private final DeploymentInstanceRepository deployments;
    private final ServiceActivationRepository activations;

    OrderViews(OrderRepository orders, CustomerTenantRepository tenants, DeploymentInstanceRepository deployments,
               ServiceActivationRepository activations) {
        this.orders = orders;
        this.tenants = tenants;
        this.deployments = deployments;
        this.activations = activations;
    }

    @WithSession
    public Uni<OrderView> get(String tenantId, UUID id) {
        return orders.findOwned(tenantId, id)
                .onItem().ifNull().failWith(() -> new NotFound("Order " + id + " not found"))
                .chain(this::of);
    }

    @WithSession
    public Uni<OrderView> byExternalId(String tenantId, String externalOrderId) {
        return orders.findByExternalId(tenantId, externalOrderId)
                .onItem().ifNull().failWith(() -> new NotFound("No order with external_order_id " + externalOrderId))
                .chain(this::of);
    }

    @WithSession
    public Uni<OrderView> of(Order order) {
        return of(List.of(order)).map(views -> views.get(0));
    }

    @WithSession
    public Uni<Page<OrderView>> list(String tenantId, OrderFilter filter, PageRequest page) {
        // One session, one query at a time.
        return orders.page(tenantId, filter, page).chain(found -> orders.countOf(tenantId, filter)
                .chain(total -> of(found).map(views -> new Page<>(views, page.page(), page.size(), total))));
    }

    private Uni<List<OrderView>> of(List<Order> found) {
        List<UUID> tenantIds = found.stream().map(o -> o.customerTenantId).filter(Objects::nonNull).toList();
        List<UUID> deploymentIds = found.stream().map(o -> o.deploymentInstanceId).filter(Objects::nonNull).toList();
        List<UUID> orderIds = found.stream().map(o -> o.id).toList();
        return tenants.findByIds(tenantIds).chain(tenantList -> deployments.findByIds(deploymentIds)
                .chain(deploymentList -> activations.ofOrders(orderIds).map(activationList -> {
                    Map<UUID, CustomerTenant> tenantById = byId(tenantList, t -> t.id);
                    Map<UUID, DeploymentInstance> deploymentById = byId(deploymentList, d -> d.id);
                    Map<UUID, List<ServiceActivation>> activationsByOrder = activationList.stream()
                            .collect(Collectors.groupingBy(a -> a.orderId));
                    return found.stream().map(order -> new OrderView(order,
                            order.customerTenantId == null ? null : tenantById.get(order.customerTenantId),
                            order.deploymentInstanceId == null ? null : deploymentById.get(order.deploymentInstanceId),
                            activationsByOrder.getOrDefault(order.id, List.of()))).toList();
                })));
    }

    private static <T> Map<UUID, T> byId(List<T> items, Function<T, UUID> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity()));
    }
}
