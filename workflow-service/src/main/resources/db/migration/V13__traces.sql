-- Traces across the services (OpenTelemetry): the W3C traceparent an event came with (its CloudEvents
-- extension), the one an execution runs in (its start's: the API call's or the event's), and the
-- trace id of each step's span, which the console links to a trace viewer.
ALTER TABLE inbox_events ADD COLUMN traceparent text;
ALTER TABLE workflow_executions ADD COLUMN traceparent text;
ALTER TABLE workflow_steps ADD COLUMN trace_id text;
