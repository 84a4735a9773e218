-- The engine's state: definitions, executions and their steps (the seed's three tables), plus what
-- durability needs: the definition an execution runs, WAITING, leases, wake-up times, run counts.

CREATE TABLE workflows (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL,
    version      text        NOT NULL,
    description  text,
    definition   jsonb       NOT NULL,
    is_active    boolean     NOT NULL DEFAULT true,
    tags         jsonb       NOT NULL DEFAULT '[]',
    tenant_id    text,                    -- null: built-in, shared by every tenant
    builtin      boolean     NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX workflows_name_version ON workflows (coalesce(tenant_id, ''), name, version);

CREATE TABLE workflow_executions (
    id                uuid        PRIMARY KEY,
    workflow_id       bigint      NOT NULL REFERENCES workflows (id),
    workflow_name     text        NOT NULL,
    workflow_version  text        NOT NULL,
    status            text        NOT NULL
        CHECK (status IN ('PENDING', 'RUNNING', 'WAITING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    context           jsonb       NOT NULL,
    result            jsonb,
    error_message     text,
    trigger_type      text        NOT NULL DEFAULT 'manual',
    trigger_source    text,
    tenant_id         text,
    idempotency_key   text,
    current_step      integer     NOT NULL DEFAULT 0,   -- index of the next step to run
    run_number        integer     NOT NULL DEFAULT 1,   -- incremented by a retry of a failed execution
    cancel_requested  boolean     NOT NULL DEFAULT false,
    lease_owner       text,
    lease_expires_at  timestamptz,
    next_wake_at      timestamptz,                      -- when an unleased unfinished execution is due
    running_time_ms   bigint      NOT NULL DEFAULT 0,   -- time spent running, not waiting
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    completed_at      timestamptz
);
-- The claim and recovery query: unfinished executions that are due and not leased.
CREATE INDEX workflow_executions_due ON workflow_executions (next_wake_at)
    WHERE status IN ('PENDING', 'RUNNING', 'WAITING');
CREATE INDEX workflow_executions_tenant_created ON workflow_executions (tenant_id, created_at DESC);
CREATE INDEX workflow_executions_status_created ON workflow_executions (status, created_at DESC);
CREATE INDEX workflow_executions_workflow_created ON workflow_executions (workflow_name, created_at DESC);
CREATE UNIQUE INDEX workflow_executions_idempotency ON workflow_executions (coalesce(tenant_id, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE workflow_steps (
    id               bigserial   PRIMARY KEY,
    execution_id     uuid        NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
    run_number       integer     NOT NULL DEFAULT 1,
    step_name        text        NOT NULL,
    step_type        text        NOT NULL,
    sequence_number  integer     NOT NULL,
    status           text        NOT NULL
        CHECK (status IN ('PENDING', 'RUNNING', 'WAITING', 'COMPLETED', 'FAILED', 'SKIPPED', 'CANCELLED')),
    input_data       jsonb,
    output_data      jsonb,
    error_message    text,
    retry_count      integer     NOT NULL DEFAULT 0,
    started_at       timestamptz,
    completed_at     timestamptz,
    duration_ms      bigint,
    wait_until       timestamptz,                       -- a waiting condition's deadline
    UNIQUE (execution_id, run_number, sequence_number)
);
