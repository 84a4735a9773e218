package io.dotmac.workflow.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one tenant may use of the engine, so that no tenant's definitions or volume hold up the
 * others: {@code workflow.quota.defaults.*} for every tenant, {@code workflow.quota.tenant."<id>".*}
 * to raise or lower one tenant's (what an override leaves out is the default). Read through
 * {@link TenantQuotas}.
 */
@ConfigMapping(prefix = "workflow.quota")
public interface QuotaConfig {

    Defaults defaults();

    /** Per-tenant overrides, by tenant id. */
    Map<String, Override> tenant();

    interface Defaults {
        /** Executions of the tenant one instance drives at once (the instance's own limit is workflow.max-in-flight). */
        @WithDefault("128")
        @Min(1)
        int maxInFlight();

        /** Starts per second, per instance (API, events and schedules together); beyond it the API answers 429. */
        @WithDefault("200")
        @Min(1)
        int startsPerSecond();

        /** Starts allowed at once above the rate, after a quiet spell. */
        @WithDefault("400")
        @Min(1)
        int startBurst();

        /** Executions of the tenant WAITING at once; a start beyond it is refused (429) until some finish. */
        @WithDefault("100000")
        @Min(1)
        int maxWaiting();

        /** Workflows of the tenant with an active schedule. */
        @WithDefault("50")
        @Min(0)
        int maxSchedules();

        /** The shortest time a schedule may leave between two starts. */
        @WithDefault("60s")
        Duration minScheduleInterval();
    }

    /** As {@link Defaults}, each left out where the default holds. */
    interface Override {
        @Min(1)
        OptionalInt maxInFlight();

        @Min(1)
        OptionalInt startsPerSecond();

        @Min(1)
        OptionalInt startBurst();

        @Min(1)
        OptionalInt maxWaiting();

        @Min(0)
        OptionalInt maxSchedules();

        Optional<Duration> minScheduleInterval();
    }
}
