-- Payments taken through Stripe: one per quote and tenant. The row is committed (pending) before
-- Stripe is called, so that every later attempt for the quote reuses its Stripe idempotency key.
CREATE TABLE payments (
    id                        uuid          PRIMARY KEY,
    tenant_id                 text          NOT NULL,
    quote_id                  text          NOT NULL,
    amount                    numeric(19,2) NOT NULL CHECK (amount > 0),
    currency                  text          NOT NULL,
    customer_email            text,
    status                    text          NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
    stripe_customer_id        text,
    stripe_payment_intent_id  text          UNIQUE,
    -- Prefix of the Idempotency-Key headers sent to Stripe for this payment (":customer",
    -- ":payment_intent"), fixed when the row is created.
    stripe_idempotency_key    text          NOT NULL,
    failure_message           text,
    created_at                timestamptz   NOT NULL DEFAULT now(),
    updated_at                timestamptz   NOT NULL DEFAULT now(),
    succeeded_at              timestamptz,
    CONSTRAINT payments_one_per_quote UNIQUE (tenant_id, quote_id)
);
CREATE INDEX payments_tenant_created ON payments (tenant_id, created_at DESC, id);

-- Stripe webhook events already applied to a payment, by Stripe's event id: a redelivered or
-- replayed event is acknowledged and changes nothing.
CREATE TABLE stripe_webhook_events (
    event_id     text        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    event_type   text        NOT NULL,
    payment_id   uuid        NOT NULL REFERENCES payments (id),
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stripe_webhook_events_payment ON stripe_webhook_events (payment_id);
