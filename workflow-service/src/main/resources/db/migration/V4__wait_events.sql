-- What a waiting execution waits for (the event and its business key, e.g. crm.quote.accepted and
-- the quote id), so that the event wakes it at once instead of at its next check.
ALTER TABLE workflow_executions ADD COLUMN wait_event text, ADD COLUMN wait_key text;
CREATE INDEX workflow_executions_waiting_on ON workflow_executions (wait_event, wait_key) WHERE status = 'WAITING';

-- A wake-up (or a cancel) that arrives while an instance holds the execution is remembered here,
-- so that the checkpoint which puts it back to WAITING makes it due at once instead of losing it.
ALTER TABLE workflow_executions ADD COLUMN wake_requested boolean NOT NULL DEFAULT false;
