package io.dotmac.notification.notification.rest;

/** The token roles (groups) of the notification API; {@code service} is the workflow engine. */
final class Roles {

    static final String READER = "reader";
    static final String OPERATOR = "operator";
    static final String ADMIN = "admin";
    static final String SERVICE = "service";

    private Roles() {
    }
}
