package io.dotmac.workflow.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/** The engine's tunables; the environment names of the seed (WORKFLOW_RETRY_ENABLED, ...) map onto them. */
@ConfigMapping(prefix = "workflow")
public interface EngineConfig {

    Retry retry();

    /** Running time (not time spent waiting) after which an execution fails. */
    @WithDefault("3600s")
    Duration executionTimeout();

    /** Per-attempt timeout of a service call that names none. */
    @WithDefault("30s")
    Duration stepTimeout();

    /** How long a claimed execution stays this instance's without renewal. */
    @WithDefault("30s")
    Duration leaseDuration();

    /** How often an instance looks for due executions (woken, retried, or left by a dead instance). */
    @WithDefault("1s")
    Duration pollInterval();

    /** Executions one instance drives at once. */
    @WithDefault("256")
    @Min(1)
    int maxInFlight();

    /** How often a waiting condition is re-checked at first, doubling up to {@link #conditionRecheckMax()}. */
    @WithDefault("5s")
    Duration conditionRecheckInitial();

    @WithDefault("5m")
    Duration conditionRecheckMax();

    Schedules schedule();

    ServiceToken serviceToken();

    Metrics metrics();

    /** What /q/metrics reads from the database rather than counts as it goes. */
    interface Metrics {
        /** How often the executions waiting per workflow are counted. */
        @WithDefault("15s")
        Duration waitingRefresh();
    }

    /** The engine's own tokens for the services it calls. */
    interface ServiceToken {
        /** A PEM private key the other services' public key matches; none: calls carry no token. */
        Optional<String> keyLocation();

        @WithDefault("5m")
        Duration ttl();
    }

    /** Cron-scheduled workflows: how often due times are looked for, and how late a missed one may still start. */
    interface Schedules {
        @WithDefault("10s")
        Duration checkInterval();

        @WithDefault("10m")
        Duration catchUp();
    }

    interface Retry {
        @WithDefault("true")
        boolean enabled();

        /** Attempts in all (the first one included) of a step that names no retry policy. */
        @WithDefault("3")
        @Min(1)
        @Max(20)
        int maxAttempts();

        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("2")
        double multiplier();

        @WithDefault("60s")
        Duration maxBackoff();
    }
}
