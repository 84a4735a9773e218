-- The console's overview (GET /api/v1/workflows/stats/...): per tenant and hour, what executions,
-- steps, the funnel and events did. An hour is rolled up once it has closed (StatsRollup), so a
-- month of a million executions is read from a few thousand rows; the hour under way is read from
-- the tables themselves (StatsQueries). Hours are bins of UTC time from date_bin, never date_trunc
-- (which follows the session's time zone).

-- Counts. kind 'execution': subject the workflow, metric started | completed | failed | cancelled;
-- 'step': subject the workflow, detail the step, metric runs | failed | retries; 'stage': subject
-- the funnel's stage, metric reached; 'event': subject the topic, metric received.
CREATE TABLE workflow_stats_counts (
    tenant_key  text        NOT NULL,            -- the tenant, '' for executions of none
    kind        text        NOT NULL,
    hour        timestamptz NOT NULL,
    subject     text        NOT NULL,
    detail      text        NOT NULL DEFAULT '',
    metric      text        NOT NULL,
    n           bigint      NOT NULL,
    PRIMARY KEY (tenant_key, kind, hour, subject, detail, metric) INCLUDE (n)
);

-- Durations as histograms of quarter-octave buckets (workflow_stats_bucket, about 9 % wide): kind
-- 'step' a step's duration, 'stage' the time from the previous stage in the same execution,
-- 'event' from an event's time to its arrival in the inbox.
CREATE TABLE workflow_stats_durations (
    tenant_key  text        NOT NULL,
    kind        text        NOT NULL,
    hour        timestamptz NOT NULL,
    subject     text        NOT NULL,
    detail      text        NOT NULL DEFAULT '',
    bucket      smallint    NOT NULL,
    n           bigint      NOT NULL,
    PRIMARY KEY (tenant_key, kind, hour, subject, detail, bucket) INCLUDE (n)
);

-- Up to when the hours are rolled up: one row, locked by the replica rolling up.
CREATE TABLE workflow_stats_rollup (
    singleton        boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    rolled_up_until  timestamptz NOT NULL
);

-- Bucket k holds durations from 2^(k/4) ms up to 2^((k+1)/4) ms; 127 holds everything from 2^31.75 ms (about 40 days).
CREATE FUNCTION workflow_stats_bucket(ms double precision) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(127, greatest(0, floor(4 * ln(greatest(ms, 1)) / ln(2))))::smallint
$$;

-- Rolled-up hours are read by tenant from the primary key alone (it includes n: a month's cells of
-- one tenant are read without the table), and replaced or pruned by hour.
CREATE INDEX workflow_stats_counts_hour ON workflow_stats_counts (hour);
CREATE INDEX workflow_stats_durations_hour ON workflow_stats_durations (hour);

-- A window's executions and steps found by time. created_at never changes; the ended ones are
-- indexed only from their end (a partial index takes no entry while completed_at is null): the
-- engine's writes of a step while it runs or waits stay HOT, only the one that ends it is not.
CREATE INDEX workflow_executions_created ON workflow_executions (created_at);
CREATE INDEX workflow_executions_completed ON workflow_executions (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX workflow_steps_completed ON workflow_steps (completed_at) WHERE completed_at IS NOT NULL;
