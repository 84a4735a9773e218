package io.dotmac.workflow.client;

import io.dotmac.common.security.Roles;
import io.dotmac.workflow.config.EngineConfig;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The engine's own Bearer tokens for the services it calls: short-lived, signed with the engine's
 * own key under its own issuer and audience (the only tokens the services take the {@code service}
 * role from), carrying the execution's tenant, never a user's token. One token per tenant is reused
 * until shortly before it expires, so a call does not pay for a signature. Without a configured key
 * (ENGINE_JWT_PRIVATE_KEY_LOCATION), calls carry no token.
 */
@ApplicationScoped
public class ServiceTokens {

    private static final Logger LOG = Logger.getLogger(ServiceTokens.class);

    private final PrivateKey key;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Map<String, Issued> byTenant = new ConcurrentHashMap<>();

    // The issuer and audience that every service's `engine` OIDC tenant verifies (platform-common).
    ServiceTokens(EngineConfig config, @ConfigProperty(name = "quarkus.oidc.engine.token.issuer") String issuer,
                  @ConfigProperty(name = "quarkus.oidc.engine.token.audience") String audience) {
        this.issuer = issuer;
        this.audience = audience.split(",")[0].trim();
        this.ttl = config.serviceToken().ttl();
        this.key = config.serviceToken().keyLocation().map(ServiceTokens::read).orElse(null);
        if (key == null) {
            LOG.warn("no signing key for service tokens (workflow.service-token.key-location): calls to other services carry none");
        }
    }

    /** The {@code Authorization} header value for calls made for this tenant, or null without a key or a tenant. */
    public String authorization(String tenantId) {
        if (key == null || tenantId == null) {
            return null;
        }
        Instant now = Instant.now();
        Issued issued = byTenant.compute(tenantId, (tenant, current) ->
                current != null && current.expiresAt().minus(ttl.dividedBy(5)).isAfter(now) ? current : issue(tenant, now));
        return "Bearer " + issued.token();
    }

    private Issued issue(String tenantId, Instant now) {
        Instant expiresAt = now.plus(ttl);
        String token = Jwt.issuer(issuer).audience(audience).upn("workflow-service").subject("workflow-service")
                .groups(Set.of(Roles.SERVICE)).claim("tenant_id", tenantId).issuedAt(now).expiresAt(expiresAt).sign(key);
        return new Issued(token, expiresAt);
    }

    // A file (deploy/local, a mounted Secret) or a classpath resource (the tests' key): KeyUtils
    // alone looks only on the classpath.
    static PrivateKey read(String location) {
        try {
            Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
            if (Files.isRegularFile(file)) {
                return KeyUtils.decodePrivateKey(Files.readString(file));
            }
            PrivateKey key = KeyUtils.readPrivateKey(location);
            if (key == null) {
                throw new IllegalArgumentException("no such file or classpath resource");
            }
            return key;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the service token signing key at " + location + ": " + e, e);
        }
    }

    private record Issued(String token, Instant expiresAt) {
    }
}
