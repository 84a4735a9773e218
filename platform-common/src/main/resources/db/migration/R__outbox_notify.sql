-- Shared by every service, like V1 (repeatable: re-applied whenever this file changes).
-- A committed outbox row wakes the relays at once (platform-messaging's OutboxRelay listens on
-- this channel): PostgreSQL delivers a notification when its transaction commits, and never for
-- one that rolls back. One per statement, with no payload: the relay reads the rows itself, and
-- its poll stays as the fallback for a notification missed while it was not listening.
-- PostgreSQL 14 or later (CREATE OR REPLACE TRIGGER).
CREATE OR REPLACE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_events', '');
    RETURN NULL;
END
$$;

-- Replacing the trigger locks the table: a relay holding rows while Kafka is slow must not keep
-- every outbox insert queued behind this migration. Past the timeout the start fails, and is retried.
SET LOCAL lock_timeout = '5s';
CREATE OR REPLACE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify();
