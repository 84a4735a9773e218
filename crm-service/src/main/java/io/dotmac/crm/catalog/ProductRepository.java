package io.dotmac.crm.catalog;

import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads the product catalog. */
@ApplicationScoped
@WithSession
public class ProductRepository implements PanacheRepositoryBase<Product, String> {

    /** The active products, by code. */
    public Uni<Page<Product>> listActive(PageRequest page) {
        return page.fetch(find("active = true", Sort.by("code")));
    }

    /** The first {@code atMost} active products, by code: the whole catalog, unpaged, for the shop. */
    public Uni<List<Product>> firstActive(int atMost) {
        return find("active = true", Sort.by("code")).range(0, atMost - 1).list();
    }

    /** The active products among these codes, by code; codes not in the catalog are absent. */
    public Uni<Map<String, CatalogPrice>> pricesOf(Collection<String> codes) {
        if (codes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return list("active = true and code in ?1", List.copyOf(codes))
                .map(products -> products.stream().map(Product::price)
                        .collect(Collectors.toMap(CatalogPrice::code, Function.identity())));
    }
}
