package io.dotmac.sales.shop.catalog;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** crm-service's public catalog over HTTP; used only through {@link CrmCatalog}. */
@RegisterRestClient(configKey = "crm-service")
@Path("/api/v1/crm/catalog")
@Produces(MediaType.APPLICATION_JSON)
interface CrmCatalogRestClient {

    @GET
    Uni<Catalog> catalog();
}
