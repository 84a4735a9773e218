package io.dotmac.sales.shop.catalog;

import io.dotmac.common.client.Downstream;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads the catalog from crm-service, which owns products and prices, for every cart change and
 * view: a cart shows today's price beside the one agreed, so it is read fresh rather than cached.
 * The catalog is public (no token is sent). crm-service down or slow is a 503 the visitor may retry.
 */
@ApplicationScoped
public class CrmCatalog {

    private final CrmCatalogRestClient rest;

    CrmCatalog(@RestClient CrmCatalogRestClient rest) {
        this.rest = rest;
    }

    public Uni<Catalog> read() {
        return rest.catalog().onFailure().transform(e -> Downstream.failure("crm-service", "reading the catalog", e));
    }
}
