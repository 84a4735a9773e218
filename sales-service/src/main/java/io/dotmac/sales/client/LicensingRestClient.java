package io.dotmac.sales.client;

import io.dotmac.common.rest.Page;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** licensing-service's licenses over HTTP; used only through {@link CustomerLicenses}. */
@RegisterRestClient(configKey = "licensing-service")
@Path("/api/v1/licenses")
@Produces(MediaType.APPLICATION_JSON)
interface LicensingRestClient {

    @GET
    Uni<Page<IssuedLicense>> ofCustomer(@QueryParam("customer_id") String customerId, @QueryParam("page") int page,
                                        @QueryParam("size") int size, @HeaderParam("Authorization") String authorization);
}
