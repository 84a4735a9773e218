package io.dotmac.workflow.rest;

/** The token roles (groups) of the workflow API; each includes what the ones before it may do. */
final class Roles {

    static final String READER = "reader";
    static final String OPERATOR = "operator";
    static final String ADMIN = "admin";

    private Roles() {
    }
}
