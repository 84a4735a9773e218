package io.dotmac.sales.shop;

import io.dotmac.common.housekeeping.PruneTarget;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/**
 * Open carts idle past their timeout are unreachable (404), so the shared housekeeping deletes them
 * like the outbox's old rows; a checked-out cart stays with its order.
 */
@Dependent
class CartRetention {

    @Produces
    PruneTarget carts(ShopConfig config) {
        return new PruneTarget("shop_carts", """
                DELETE FROM shop_carts WHERE id IN (
                    SELECT id FROM shop_carts WHERE updated_at < $1 AND status = 'open'
                    LIMIT $2 FOR UPDATE SKIP LOCKED)""",
                config.cartIdleTimeout());
    }
}
