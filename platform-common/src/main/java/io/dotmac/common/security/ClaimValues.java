package io.dotmac.common.security;

import jakarta.json.JsonString;

/** A JWT claim as text: quarkus-oidc hands string claims over as JSON strings, other verifiers as Strings. */
final class ClaimValues {

    private ClaimValues() {
    }

    static String text(Object claim) {
        return claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
    }
}
