package io.dotmac.workflow.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.Optional;

/** The engine's tunables; the environment names of the seed (WORKFLOW_RETRY_ENABLED, ...) map onto them. */
@ConfigMapping(prefix = "workflow")
public interface EngineConfig {

    /**
     * Whether this instance drives executions ({@code WORKFLOW_ENGINE_ENABLED}). Off, it serves the
     * API and records every start (API, events, schedules) for the instances that drive.
     */
    @WithDefault("true")
    boolean engineEnabled();

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

    /**
     * How long what calls that change something brought may stay unwritten while the execution goes
     * on: such a step is written before the next one runs once this much has gone by since the
     * oldest unwritten step ended (and while a call runs, when this comes due); a read's answer and
     * every wait, failure and end are written at once. Sent again after a crash, such a call carries
     * its Idempotency-Key and is answered alike. 0 writes after every call.
     */
    @WithDefault("250ms")
    Duration checkpointInterval();

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

    /** Times in a row an execution's driving may fail abnormally (out of memory, a crash) before it is FAILED, not claimed again. */
    @WithDefault("3")
    @Min(1)
    int quarantineAfter();

    Schedules schedule();

    /** {@code POST /execute?wait=}: how long a start may wait for its execution, and how many at once. */
    Execute execute();

    interface Execute {
        /** The longest {@code ?wait=} accepted. */
        @WithDefault("60s")
        Duration maxWait();

        /** Requests waiting at once on this instance; past it, a start is answered without waiting. */
        @WithDefault("200")
        @Min(0)
        int maxWaiting();

        /** The same for one tenant, so that it cannot take every place. */
        @WithDefault("50")
        @Min(0)
        int maxWaitingPerTenant();
    }

    Limits limits();

    Inbox inbox();

    /** Events whose starts waited in the inbox for their tenant's quota (inbox/InboxDrainer). */
    interface Inbox {
        /** How often they are looked for. */
        @WithDefault("1s")
        Duration drainEvery();
    }

    /** What one execution's data and one expression may grow to (docs/workflow-dsl.md, "Limits"). */
    interface Limits {
        /** The whole context, as JSON. */
        @WithDefault("1M")
        MemorySize maxContext();

        /** What one step puts into the context or records as its output. */
        @WithDefault("512K")
        MemorySize maxStepOutput();

        /** Text built from a template with ${...} inside (an embedded value is written as JSON). */
        @WithDefault("512K")
        MemorySize maxTemplateResult();

        /** Characters of one expression (condition, when). */
        @WithDefault("2000")
        @Min(1)
        int expressionLength();

        /** Time one evaluation of an expression may take. */
        @WithDefault("100ms")
        Duration expressionTime();

        /** The longest string an expression may build with +. */
        @WithDefault("1M")
        MemorySize expressionString();

        /** Instructions a regular expression (=~) may expand to: its length times its counted repetitions. */
        @WithDefault("100000")
        @Min(1)
        int regexSize();

        /** Characters of the text a regular expression is matched against. */
        @WithDefault("64K")
        MemorySize regexInput();
    }

    ServiceToken serviceToken();

    Metrics metrics();

    Stats stats();

    /**
     * A trace viewer's page of a trace, {@code {trace_id}} in it ({@code WORKFLOW_TRACE_URL}, e.g.
     * https://jaeger.example.com/trace/{trace_id}): each step of an execution links there. None: trace ids only.
     */
    Optional<@Pattern(regexp = "https?://[^\\s]*\\{trace_id\\}[^\\s]*", message = "must be an http(s) URL with {trace_id} in it")
            String> traceUrl();

    /** The overview's hourly rollups (V12). */
    interface Stats {
        /** How often a replica looks for closed hours to roll up. */
        @WithDefault("1m")
        Duration rollupEvery();

        /** How long after an hour has closed it is rolled up: what the engine records of its last moments is in by then. */
        @WithDefault("2m")
        Duration rollupAfter();

        /** How far back the first rollup starts (the longest range is 30 days). */
        @WithDefault("31d")
        Duration backfill();
    }

    /** What /q/metrics reads from the database rather than counts as it goes. */
    interface Metrics {
        /** How often the executions waiting per workflow are counted. */
        @WithDefault("15s")
        Duration waitingRefresh();

        /** Distinct values a tag that tenants name (workflow, step) may take; later ones are counted as "other". */
        @WithDefault("500")
        @Min(1)
        int maxTagValues();
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

        /**
         * The longest backoff waited out holding the execution; a longer one lets go of its lease
         * and in-flight slot, and the claim loop resumes it when it is due, like a wait.
         */
        @WithDefault("2s")
        Duration holdUpTo();
    }
}
