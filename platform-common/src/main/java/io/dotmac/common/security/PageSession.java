package io.dotmac.common.security;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.Authenticated;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * How a service's pages (the console, the CRM pages) sign people in: the identity provider's
 * authorization code flow with PKCE, run by quarkus-oidc for {@value TokenIssuers#SESSION_PATH}
 * (the `idp` tenant, hybrid in the services that have pages). The session cookie is scoped to this
 * path, so the API never takes it: the page fetches the session's access token here and calls the
 * API with it as a Bearer token, like any other client, so no API call can be forged cross-site.
 * Browser navigation, not API, so it is left out of the OpenAPI document; only services that serve
 * pages have it ({@code controlplane.pages.enabled}, see the console's and the CRM's configuration).
 */
@Path(TokenIssuers.SESSION_PATH)
@IfBuildProperty(name = "controlplane.pages.enabled", stringValue = "true")
public class PageSession {

    private final SecurityIdentity identity;
    private final String home;

    PageSession(SecurityIdentity identity, @ConfigProperty(name = "controlplane.pages.home") String home) {
        this.identity = identity;
        this.home = home;
    }

    /** Signs in at the identity provider (the code flow runs before this), then goes to the pages. */
    @GET
    @Path("signin")
    @Authenticated
    @Operation(hidden = true)
    public Response signIn() {
        return Response.seeOther(URI.create(home)).build();
    }

    /** The signed-in person's current access token (refreshed by quarkus-oidc when it expired). */
    @GET
    @Path("token")
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response token() {
        AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
        if (token == null) {
            throw new UnauthorizedException("no access token in this session");
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(Map.of("access_token", token.getToken())).cacheControl(noStore).build();
    }
}
