-- Shared by every service, like V1 (repeatable; V1 itself is frozen). The trace an outbox event was
-- written in (W3C traceparent), sent with it as the CloudEvents traceparent extension, so that a
-- customer's request and what its event starts elsewhere are one trace.
ALTER TABLE outbox_events ADD COLUMN IF NOT EXISTS traceparent text;
