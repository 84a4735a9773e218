package io.dotmac.sales.provisioning;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Service activations of orders, in the order the services were bought. */
@ApplicationScoped
@WithSession
public class ServiceActivationRepository implements PanacheRepositoryBase<ServiceActivation, UUID> {

    public Uni<List<ServiceActivation>> ofOrder(UUID orderId) {
        return list("orderId", Sort.by("position"), orderId);
    }

    public Uni<List<ServiceActivation>> ofOrders(Collection<UUID> orderIds) {
        return orderIds.isEmpty() ? Uni.createFrom().item(List.of())
                : list("orderId in ?1", Sort.by("orderId").and("position"), orderIds);
    }
}
