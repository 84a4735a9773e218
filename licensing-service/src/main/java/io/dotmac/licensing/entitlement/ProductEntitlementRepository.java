package io.dotmac.licensing.entitlement;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads the entitlements catalog; it is the suite's, the same for every tenant. */
@ApplicationScoped
@WithSession
public class ProductEntitlementRepository implements PanacheRepositoryBase<ProductEntitlement, String> {

    /** Every product there is (a handful), by code. */
    public Uni<List<ProductEntitlement>> catalog() {
        return listAll(Sort.by("productCode"));
    }
}
