package io.dotmac.sales.support;

import io.vertx.pgclient.PgException;

/** Looks through the wrappers Hibernate Reactive and Mutiny put around a database error. */
public final class Failures {

    private Failures() {
    }

    /** Whether {@code failure} is a unique violation of the named constraint. */
    public static boolean isUniqueViolation(Throwable failure, String constraint) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PgException pg && "23505".equals(pg.getSqlState()) && constraint.equals(pg.getConstraint())) {
                return true;
            }
        }
        return false;
    }
}
