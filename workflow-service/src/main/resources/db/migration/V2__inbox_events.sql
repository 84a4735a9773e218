-- Every event the engine receives from Kafka, recorded once: a redelivered event (same CloudEvent
-- source and id) finds its row and does nothing. Triggers act on the row in the same transaction
-- that writes it, and mark it processed.
CREATE TABLE inbox_events (
    source        text        NOT NULL,
    event_id      text        NOT NULL,
    topic         text        NOT NULL,
    event_type    text,
    event_key     text,
    event_time    timestamptz,
    payload       jsonb       NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz,
    PRIMARY KEY (source, event_id)
);
CREATE INDEX inbox_events_topic_received ON inbox_events (topic, received_at DESC);
