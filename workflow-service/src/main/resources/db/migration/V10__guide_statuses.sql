-- Statuses as the product's original guide spells them, lowercase ('pending', 'running', 'completed',
-- 'failed', 'cancelled'; steps also 'skipped'), so that its debugging queries work as written:
-- SELECT * FROM workflow_executions WHERE status = 'failed'. Ours follow suit ('waiting').
-- The partial indexes name the statuses in their predicates, so they are made again to match.
ALTER TABLE workflow_executions DROP CONSTRAINT workflow_executions_status_check;
ALTER TABLE workflow_steps DROP CONSTRAINT workflow_steps_status_check;
DROP INDEX workflow_executions_waiting_on;
DROP INDEX workflow_executions_tenant_due;

UPDATE workflow_executions SET status = lower(status) WHERE status <> lower(status);
UPDATE workflow_steps SET status = lower(status) WHERE status <> lower(status);

ALTER TABLE workflow_executions ADD CONSTRAINT workflow_executions_status_check
    CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'));
ALTER TABLE workflow_steps ADD CONSTRAINT workflow_steps_status_check
    CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'));
CREATE INDEX workflow_executions_waiting_on ON workflow_executions (wait_event, wait_key) WHERE status = 'waiting';
CREATE INDEX workflow_executions_tenant_due ON workflow_executions ((coalesce(tenant_id, '')), next_wake_at NULLS FIRST)
    WHERE status IN ('pending', 'running', 'waiting');

-- The guide's step column beside ours: how long the step took, in seconds.
ALTER TABLE workflow_steps
    ADD COLUMN duration_seconds numeric GENERATED ALWAYS AS (round(duration_ms / 1000.0, 3)) STORED;
