package io.dotmac.common.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** One endpoint for the engine and one for people, as every service has them. */
@Path("/test/roles")
public class RolesTestResource {

    @GET
    @Path("/engine")
    @RolesAllowed(Roles.SERVICE)
    public String engine() {
        return "engine";
    }

    @GET
    @Path("/admin")
    @RolesAllowed(Roles.ADMIN)
    public String admin() {
        return "admin";
    }
}
