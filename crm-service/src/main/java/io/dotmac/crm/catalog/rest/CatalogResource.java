package io.dotmac.crm.catalog.rest;

import io.dotmac.crm.catalog.ProductRepository;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseHeader;

/**
 * The public product catalog of the self-serve shop: what it shows anyone, so no token and no tenant
 * (the catalog is the vendor's own, the same for every tenant). Caches may keep it for a minute.
 */
@Path("/api/v1/crm/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Catalog")
public class CatalogResource {

    /**
     * The catalog is the vendor's own short list of products (five today), not customer data that
     * grows; the bound keeps an open endpoint's answer small all the same, without paging.
     */
    static final int MAX_PRODUCTS = 200;

    private final ProductRepository products;

    CatalogResource(ProductRepository products) {
        this.products = products;
    }

    @GET
    @PermitAll
    @ResponseHeader(name = "Cache-Control", value = "public, max-age=60")
    @Operation(summary = "The active products, by code, with their descriptions and exact unit prices per billing cycle "
            + "(monthly, annual; a cycle a product is not sold with is absent); at most " + MAX_PRODUCTS + ". Public, no "
            + "token: it is what the shop shows anyone")
    public Uni<CatalogView> list() {
        return products.firstActive(MAX_PRODUCTS).map(CatalogView::of);
    }
}
