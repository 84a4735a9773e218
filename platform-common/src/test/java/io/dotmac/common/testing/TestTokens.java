package io.dotmac.common.testing;

import io.dotmac.common.security.Roles;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

/**
 * Bearer tokens for tests, signed with the test-only keys under src/test/resources/jwt (the
 * services trust their public halves in the test profile, META-INF/microprofile-config.properties):
 * people's, the workflow engine's, and the bad ones an auth test needs.
 */
public final class TestTokens {

    public static final String ISSUER = "https://controlplane.local";
    public static final String AUDIENCE = "controlplane";
    public static final String ENGINE_ISSUER = "https://controlplane.local/engine";
    public static final String ENGINE_AUDIENCE = "controlplane-services";

    private TestTokens() {
    }

    /** A valid token for a user of {@code tenant} with the given roles. */
    public static String token(String tenant, String... roles) {
        return build(tenant, Instant.now().plusSeconds(600), roles).sign(testKey());
    }

    /** The workflow engine's token for {@code tenant}: the {@code service} role, the engine's key, issuer and audience. */
    public static String engine(String tenant) {
        return engine(tenant, Roles.SERVICE);
    }

    /** An engine's token with other roles, which no service accepts beyond {@code service}. */
    public static String engine(String tenant, String... roles) {
        return engineClaims(tenant, roles).sign(key("jwt/test-engine-private.pem"));
    }

    /** The engine's issuer and audience, but signed with people's key: forged by whoever holds that key. */
    public static String signedAsEngineWithPeoplesKey(String tenant) {
        return engineClaims(tenant, Roles.SERVICE).sign(testKey());
    }

    /** A person's token whose {@code typ} claim names its kind, as Keycloak's do ("Bearer", "ID", "Refresh"). */
    public static String ofType(String type, String tenant, String... roles) {
        return build(tenant, Instant.now().plusSeconds(600), roles).claim("typ", type).sign(testKey());
    }

    public static String expired(String tenant, String... roles) {
        Instant past = Instant.now().minusSeconds(3600);
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn("test-user@" + tenant).groups(Set.of(roles))
                .claim("tenant_id", tenant).issuedAt(past.minusSeconds(600)).expiresAt(past).sign(testKey());
    }

    /** Well formed and unexpired, but signed by a key nobody trusts. */
    public static String wronglySigned(String tenant, String... roles) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair other = generator.generateKeyPair();
            return build(tenant, Instant.now().plusSeconds(600), roles).sign(other.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed by the trusted key, but for another audience. */
    public static String otherAudience(String tenant, String... roles) {
        return Jwt.issuer(ISSUER).audience("someone-else").upn("test-user@" + tenant).groups(Set.of(roles))
                .claim("tenant_id", tenant).expiresAt(Instant.now().plusSeconds(600)).sign(testKey());
    }

    /** Valid, but for no tenant. */
    public static String withoutTenant(String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn("test-user").groups(Set.of(roles))
                .expiresAt(Instant.now().plusSeconds(600)).sign(testKey());
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder build(String tenant, Instant expiry, String... roles) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn("test-user@" + tenant).groups(Set.of(roles))
                .claim("tenant_id", tenant).expiresAt(expiry);
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder engineClaims(String tenant, String... roles) {
        return Jwt.issuer(ENGINE_ISSUER).audience(ENGINE_AUDIENCE).upn("workflow-service").groups(Set.of(roles))
                .claim("tenant_id", tenant).expiresAt(Instant.now().plusSeconds(600));
    }

    private static PrivateKey testKey() {
        return key("jwt/test-private.pem");
    }

    private static PrivateKey key(String resource) {
        try {
            return KeyUtils.readPrivateKey(resource);
        } catch (Exception e) {
            throw new IllegalStateException("the test signing key " + resource + " is not on the classpath", e);
        }
    }
}
