package io.dotmac.crm.catalog.rest;

import io.dotmac.common.rest.Page;
import io.dotmac.common.rest.PageRequest;
import io.dotmac.crm.catalog.Product;
import io.dotmac.crm.catalog.ProductRepository;
import io.dotmac.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The product catalog that quotes are priced from. */
@Path("/api/v1/crm/products")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Products")
@SecurityRequirement(name = "bearer")
public class ProductResource {

    /** A catalog product on the wire. */
    public record ProductView(String code, String name, String description, BigDecimal unitPrice, String currency,
                              String billingCycle) {
        static ProductView of(Product p) {
            return new ProductView(p.code, p.name, p.description, p.unitPrice, p.currency, p.billingCycle);
        }
    }

    private final ProductRepository products;

    ProductResource(ProductRepository products) {
        this.products = products;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The products that can be quoted, by code, with their exact unit prices")
    public Uni<Page<ProductView>> list(@QueryParam("page") String page, @QueryParam("size") String size) {
        return products.listActive(PageRequest.of(page, size)).map(found -> found.map(ProductView::of));
    }
}
