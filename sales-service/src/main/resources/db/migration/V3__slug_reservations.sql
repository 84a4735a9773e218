-- Customer organization slugs, reserved platform-wide: a slug is a subdomain, so one vendor
-- tenant's lead holding it keeps every other's from it. crm-service reserves a lead's slug when it
-- qualifies the lead, until its quote expires (expires_at), and for good once the quote is accepted
-- (expires_at null); a rejected quote releases it. An expired reservation is free for the next.
CREATE TABLE slug_reservations (
    slug        text        PRIMARY KEY,
    tenant_id   text        NOT NULL,
    lead_id     text        NOT NULL,
    expires_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
