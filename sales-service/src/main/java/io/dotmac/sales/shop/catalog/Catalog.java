package io.dotmac.sales.shop.catalog;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Optional;

/** crm-service's public catalog: what the shop sells, at today's prices. */
@RegisterForReflection
public record Catalog(List<CatalogProduct> products) {

    public Optional<CatalogProduct> product(String code) {
        return products == null ? Optional.empty() : products.stream().filter(p -> p.code().equals(code)).findFirst();
    }
}
