-- Compensation (a step's `compensate`): when an execution fails for good, the steps it completed
-- are undone in reverse order, each undo recorded as a step row of its own after the definition's
-- steps (sequence_number = number of steps + k for the k-th undo). compensation_step is the
-- sequence number of the undo under way or next (NULL: the execution was never compensated);
-- current_step keeps pointing at the step that failed.
ALTER TABLE workflow_executions ADD COLUMN compensation_step integer;

-- An execution that goes WAITING on an event looks here for one that came while it was still being
-- driven into the wait (PgExecutionStore's checkpoint): by topic and business key, newest first.
CREATE INDEX inbox_events_topic_key ON inbox_events (topic, event_key, received_at DESC);
