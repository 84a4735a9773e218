-- Claims in a row that ended without a checkpoint (the driver crashed, ran out of memory, could not
-- write): past workflow.quarantine-after the execution is FAILED instead of claimed again. The
-- last abnormal failure that could still be written is kept for the message.
ALTER TABLE workflow_executions ADD COLUMN driver_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE workflow_executions ADD COLUMN driver_error text;

-- Claiming is fair across tenants: the claim walks the tenants with unfinished executions and takes
-- the earliest due of each in turn, which this index serves (one tenant's backlog is one range).
DROP INDEX workflow_executions_due;
CREATE INDEX workflow_executions_tenant_due ON workflow_executions ((coalesce(tenant_id, '')), next_wake_at NULLS FIRST)
    WHERE status IN ('PENDING', 'RUNNING', 'WAITING');

-- Start keys are namespaced by how the execution started, so that an API caller cannot take the
-- key a schedule or an event will use: the stored key is "<trigger type>:<key>". The unique index
-- goes while the keys change (a row may pass through another's new key), and comes back after.
DROP INDEX workflow_executions_idempotency;
UPDATE workflow_executions SET idempotency_key = trigger_type || ':' || idempotency_key
 WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX workflow_executions_idempotency ON workflow_executions (coalesce(tenant_id, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- An event whose starts are beyond the tenant's rate waits here, acknowledged, until the drainer
-- starts them (InboxDrainer); the tenant is kept to rebuild the event.
ALTER TABLE inbox_events ADD COLUMN tenant_id text;
ALTER TABLE inbox_events ADD COLUMN deferred_until timestamptz;
CREATE INDEX inbox_events_deferred ON inbox_events (deferred_until) WHERE deferred_until IS NOT NULL;
