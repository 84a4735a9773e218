-- The claim query orders due executions by next_wake_at NULLS FIRST; an index in that order serves
-- it without a sort of every unfinished execution on each poll.
DROP INDEX workflow_executions_due;
CREATE INDEX workflow_executions_due ON workflow_executions (next_wake_at NULLS FIRST)
    WHERE status IN ('PENDING', 'RUNNING', 'WAITING');
