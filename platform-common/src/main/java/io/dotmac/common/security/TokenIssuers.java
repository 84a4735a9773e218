package io.dotmac.common.security;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the OIDC tenant that verifies a request: the pages' sign-in ({@value #SESSION_PATH}, in
 * the services with pages) is the identity provider's code flow; a Bearer token goes to the tenant of its {@code iss} claim, read
 * unverified here only to pick the verifier (which then checks signature, issuer, audience and
 * expiry). Anything else, a malformed token included, goes to the default tenant (people's tokens
 * signed with the operators' key), which refuses what it cannot verify. Written out rather than
 * {@code quarkus.oidc.resolve-tenants-with-issuer}, which casts the claim without a check, and never
 * null, which would let quarkus-oidc pick a tenant by a path segment named like one ({@code /leads/engine}).
 */
@ApplicationScoped
public class TokenIssuers implements TenantResolver {

    public static final String IDENTITY_PROVIDER = "idp";
    public static final String ENGINE = "engine";
    /** quarkus-oidc's name of the tenant configured without a name. */
    static final String DEFAULT = "Default";
    /** Where the pages sign in and fetch their token (PageSession). */
    public static final String SESSION_PATH = "/_session";

    private static final int MAX_PAYLOAD = 16 * 1024;

    private final String engineIssuer;
    private final String identityProviderIssuer;
    private final boolean pages;

    TokenIssuers(@ConfigProperty(name = "quarkus.oidc.engine.token.issuer") String engineIssuer,
                 @ConfigProperty(name = "quarkus.oidc.idp.auth-server-url") String identityProviderIssuer,
                 @ConfigProperty(name = "controlplane.pages.enabled", defaultValue = "false") boolean pages) {
        this.engineIssuer = engineIssuer;
        this.pages = pages;
        // Keycloak's issuer is the realm's URL, which is what auth-server-url names.
        this.identityProviderIssuer = identityProviderIssuer.replaceAll("/+$", "");
    }

    @Override
    public String resolve(RoutingContext context) {
        String path = context.normalizedPath();
        if (pages && (path.equals(SESSION_PATH) || path.startsWith(SESSION_PATH + "/"))) {
            return IDENTITY_PROVIDER;
        }
        String issuer = issuer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (engineIssuer.equals(issuer)) {
            return ENGINE;
        }
        if (identityProviderIssuer.equals(issuer)) {
            return IDENTITY_PROVIDER;
        }
        return DEFAULT;
    }

    /** The unverified {@code iss} of a Bearer JWT, or null for anything else. */
    static String issuer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String[] parts = authorization.substring(7).trim().split("\\.", -1);
        if (parts.length != 3 || parts[1].length() > MAX_PAYLOAD) {
            return null;
        }
        try {
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claims.getValue("iss") instanceof String iss ? iss : null;
        } catch (RuntimeException notAJwt) {
            return null;
        }
    }
}
