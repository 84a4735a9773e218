package io.dotmac.sales.provisioning;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Customer tenants; by slug across all API tenants (slugs are global), otherwise by the ids an order holds. */
@ApplicationScoped
@WithSession
public class CustomerTenantRepository implements PanacheRepositoryBase<CustomerTenant, UUID> {

    /** Whoever holds the slug, in any API tenant: only to refuse a second tenant with it. */
    public Uni<CustomerTenant> findBySlug(String slug) {
        return find("slug", slug).firstResult();
    }

    /** The tenant with its holds read, where they were not yet: after its order's lock, they are the last committed. */
    public Uni<CustomerTenant> withHolds(CustomerTenant tenant) {
        return Mutiny.fetch(tenant.holds).replaceWith(tenant);
    }

    public Uni<List<CustomerTenant>> findByIds(Collection<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1", ids);
    }
}
