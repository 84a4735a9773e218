package io.dotmac.common.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Which of a verified token's roles count:
 * <ul>
 * <li>the {@code service} role is the workflow engine's alone: it counts only in a token from the
 * engine's own issuer (verified with the engine's key), and such a token counts for nothing else. So
 * a person's token that names {@code service} gets none of it, and whoever holds the engine's key
 * can act for the engine, never as a person ({@code admin} in an engine token is dropped);</li>
 * <li>only access tokens count: a token whose {@code typ} claim names another kind (Keycloak's ID
 * tokens, which carry the same audience and groups and travel in logout URLs) counts for none.</li>
 * </ul>
 */
@ApplicationScoped
public class TokenRoles implements SecurityIdentityAugmentor {

    /** The attribute quarkus-oidc sets on an identity to the OIDC tenant that verified it. */
    static final String OIDC_TENANT = "tenant-id";
    private static final String ACCESS_TOKEN_TYPE = "Bearer";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        boolean engine = TokenIssuers.ENGINE.equals(identity.getAttribute(OIDC_TENANT));
        boolean accessToken = !(identity.getPrincipal() instanceof JsonWebToken token) || accessToken(ClaimValues.text(token.getClaim("typ")));
        Set<String> roles = identity.getRoles().stream()
                .filter(role -> accessToken && engine == Roles.SERVICE.equals(role))
                .collect(Collectors.toUnmodifiableSet());
        if (roles.equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles)
                .addPermissionChecker(identity::checkPermission)
                .build());
    }

    // No typ claim (our own tokens), or Keycloak's "Bearer".
    private static boolean accessToken(String type) {
        return type == null || ACCESS_TOKEN_TYPE.equals(type);
    }
}
