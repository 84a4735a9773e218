package io.dotmac.crm.rest;

import io.dotmac.common.error.DomainException.NotFound;
import java.util.UUID;

/** Ids taken from the URL as text, so that a malformed one is the same 404 as an unknown one, saying so. */
public final class PathIds {

    private PathIds() {
    }

    public static UUID parse(String kind, String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFound("No " + kind + " with id '" + id + "'");
        }
    }
}
