-- Shared by every service, like V1 (repeatable; V1 itself is frozen). Housekeeping deletes outbox
-- rows by their age (created_at, never updated): a BRIN index finds the old ones without a scan of
-- the table every round, and costs next to nothing to keep as rows are appended.
CREATE INDEX IF NOT EXISTS outbox_events_created_brin ON outbox_events USING brin (created_at);
