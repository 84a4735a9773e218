package io.dotmac.common.security;

import io.quarkus.security.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The tenant of the request: the {@code tenant_id} claim of its Bearer token. Everything a tenant
 * reads or writes is scoped by it; a token without one can do nothing.
 */
@RequestScoped
public class CurrentTenant {

    public static final String CLAIM = "tenant_id";

    private final JsonWebToken token;

    CurrentTenant(JsonWebToken token) {
        this.token = token;
    }

    public String id() {
        String tenant = ClaimValues.text(token.getClaim(CLAIM));
        if (tenant == null || tenant.isBlank()) {
            throw new ForbiddenException("The token carries no " + CLAIM + " claim");
        }
        return tenant;
    }
}
