package io.dotmac.common.security;

/**
 * The token roles (the JWT's {@code groups}) every service checks. {@code reader}, {@code operator}
 * and {@code admin} are people, each allowed what the ones before it may do; {@code service} is the
 * workflow engine's own short-lived token (workflow-service's {@code ServiceTokens} signs it), which
 * the services it calls accept for the work the engine does.
 */
public final class Roles {

    public static final String READER = "reader";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
