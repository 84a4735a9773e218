-- Events the engine could not take (not JSON, without a CloudEvent's id or source, not what the
-- workflows they trigger read): each goes to its topic's dead-letter topic, and is counted here too,
-- under the tenant it named if any, so that the tenant's overview shows them (the broker's topics
-- know no tenants). Kept 31 days.
CREATE TABLE inbox_dead_letters (
    id          bigserial   PRIMARY KEY,
    topic       text        NOT NULL,
    tenant_id   text,
    event_id    text,
    reason      text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_dead_letters_at ON inbox_dead_letters (at);
