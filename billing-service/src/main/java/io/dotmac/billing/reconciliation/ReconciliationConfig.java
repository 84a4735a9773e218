package io.dotmac.billing.reconciliation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How billing asks Stripe about payments whose webhook has not come, and seat changes whose answer
 * was lost ({@code billing.reconciliation.*}).
 */
@ConfigMapping(prefix = "billing.reconciliation")
public interface ReconciliationConfig {

    /** How often pending payments are looked for. */
    @WithDefault("60s")
    Duration every();

    /** How long a payment stays pending, without news, before Stripe is asked about it (and again). */
    @WithDefault("10m")
    Duration after();

    /** How many payments one round asks about at most. */
    @WithDefault("50")
    int batch();
}
