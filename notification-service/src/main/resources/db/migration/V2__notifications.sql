-- Every email this service sends, recorded before the first attempt: what it is, to whom, and how
-- its delivery went. A row is the unit of "sent at most once": a sender claims it for one attempt
-- (locked_until, a lease), and marks it sent as soon as the SMTP server accepted it.
CREATE TABLE notifications (
    id                uuid        PRIMARY KEY,
    tenant_id         text        NOT NULL,
    kind              text        NOT NULL,
    recipient         text        NOT NULL,
    customer_name     text,
    tenant_subdomain  text        NOT NULL,
    tenant_url        text        NOT NULL,
    subject           text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    -- Attempts since the notification was (last) queued; the claim counts one before sending.
    attempts          integer     NOT NULL DEFAULT 0,
    -- The error of the latest failed attempt (kept once sent, as a record of what happened).
    last_error        text,
    -- The Message-ID header, chosen before the first attempt so that every attempt carries the same one.
    message_id        text        NOT NULL UNIQUE,
    -- While queued: when the next attempt is due.
    next_attempt_at   timestamptz,
    -- While an attempt is in flight: until when its sender owns the notification.
    locked_until      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz
);

-- One welcome email per tenant, recipient and customer subdomain: a repeated request finds it.
CREATE UNIQUE INDEX notifications_one_welcome ON notifications (tenant_id, kind, lower(recipient), tenant_subdomain)
    WHERE kind = 'welcome_email';
CREATE INDEX notifications_by_recipient ON notifications (tenant_id, lower(recipient), created_at DESC);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'queued';
