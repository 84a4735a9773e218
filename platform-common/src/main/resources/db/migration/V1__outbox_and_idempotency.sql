-- Shared by every service (it ships in platform-common): services number their own migrations
-- from V2 on. Never edit this file; change these tables through a service's own migration.

-- Transactional outbox: an event row is written in the same transaction as the state change it
-- reports, and a relay publishes it to Kafka. The id is the CloudEvent id consumers de-duplicate by.
CREATE TABLE outbox_events (
    id            uuid PRIMARY KEY,
    topic         text        NOT NULL,
    event_key     text        NOT NULL,
    event_type    text        NOT NULL,
    tenant_id     text,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text
);
CREATE INDEX outbox_events_unpublished ON outbox_events (created_at) WHERE published_at IS NULL;

-- Idempotency-Key records: the same key replays the stored response; the same key with another
-- request body is rejected (request_hash differs). response_status is null while in flight.
CREATE TABLE idempotency_keys (
    tenant_id        text        NOT NULL,
    idempotency_key  text        NOT NULL,
    request_method   text        NOT NULL,
    request_path     text        NOT NULL,
    request_hash     text        NOT NULL,
    response_status  integer,
    response_body    jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
