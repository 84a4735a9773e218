package io.dotmac.common.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long each service keeps the rows that only record what was done ({@code controlplane.housekeeping.*}). */
@ConfigMapping(prefix = "controlplane.housekeeping")
public interface HousekeepingConfig {

    /** Whether it runs on its own; tests call it (off in the test profile, so that it never races their rows). */
    @WithDefault("true")
    boolean enabled();

    /** How often old rows are deleted. */
    @WithDefault("10m")
    Duration every();

    /** How often the outbox's backlog is counted for its gauges. */
    @WithDefault("15s")
    Duration backlogRefresh();

    /** How long an outbox row is kept once published: for inquiry, no consumer reads it again. */
    @WithDefault("P7D")
    Duration outboxRetention();

    /**
     * How long an Idempotency-Key's answer is kept: a request repeated with it later runs again,
     * so longer than any caller retries (Stripe keeps keys a day; the engine retries for minutes,
     * an operator's retry of an execution may come days later).
     */
    @WithDefault("P30D")
    Duration idempotencyRetention();

    /**
     * How long workflow-service keeps an inbox event it has handled: what a wait begun later may still
     * find (a wake-up to check again), nothing more; duplicates are caught by the executions' own keys.
     */
    @WithDefault("P45D")
    Duration inboxRetention();

    /** The most rows one statement deletes, so that no round holds locks or the WAL for long. */
    @WithDefault("5000")
    int batch();
}
