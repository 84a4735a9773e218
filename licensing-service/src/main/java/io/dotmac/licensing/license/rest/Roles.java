package io.dotmac.licensing.license.rest;

/**
 * The token roles (groups) of the license API. {@code service} is the workflow engine's own token,
 * which issues licenses and may undo them.
 */
final class Roles {

    static final String READER = "reader";
    static final String OPERATOR = "operator";
    static final String ADMIN = "admin";
    static final String SERVICE = "service";

    private Roles() {
    }
}
