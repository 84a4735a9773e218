package io.dotmac.sales.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/** What the service's own database holds, read in tests through its reactive pool. */
public final class Rows {

    private Rows() {
    }

    /** The single count the query answers, e.g. {@code SELECT count(*) FROM customer_tenants WHERE slug = $1}. */
    public static long count(Pool database, String sql, Object... params) {
        return database.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
