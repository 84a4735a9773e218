package io.dotmac.billing.security;

/**
 * The token roles (groups) of the billing API. {@code service} is the workflow engine's own token:
 * it takes payments and reads them back; a {@code reader} only reads.
 */
public final class Roles {

    public static final String READER = "reader";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
