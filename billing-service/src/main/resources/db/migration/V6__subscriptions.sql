-- Subscriptions on Stripe Billing and their invoices, as Stripe's webhooks last reported them. A
-- subscription names its tenant and quote in its metadata (billing sets both when it opens one);
-- reported_at is the Stripe event's time of the latest report applied, so that an event delivered
-- late does not undo a newer one.
CREATE TABLE subscriptions (
    id                      uuid         PRIMARY KEY,
    tenant_id               text         NOT NULL,
    quote_id                text         NOT NULL,
    stripe_subscription_id  text         NOT NULL UNIQUE,
    stripe_customer_id      text,
    -- Stripe's: incomplete, incomplete_expired, trialing, active, past_due, canceled, unpaid, paused
    status                  text         NOT NULL,
    cancel_at_period_end    boolean      NOT NULL DEFAULT false,
    current_period_start    timestamptz,
    current_period_end      timestamptz,
    canceled_at             timestamptz,
    reported_at             timestamptz  NOT NULL,
    created_at              timestamptz  NOT NULL DEFAULT now(),
    updated_at              timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_tenant_created ON subscriptions (tenant_id, created_at DESC, id);
CREATE INDEX subscriptions_tenant_quote ON subscriptions (tenant_id, quote_id);

CREATE TABLE subscription_invoices (
    id                  uuid           PRIMARY KEY,
    tenant_id           text           NOT NULL,
    subscription_id     uuid           NOT NULL REFERENCES subscriptions (id),
    stripe_invoice_id   text           NOT NULL UNIQUE,
    -- Stripe's: draft, open, paid, uncollectible, void
    status              text           NOT NULL,
    amount_due          numeric(19,2)  NOT NULL,
    amount_paid         numeric(19,2)  NOT NULL,
    currency            text           NOT NULL,
    -- The period the invoice pays for (its subscription lines'), not Stripe's invoice.period_*.
    period_start        timestamptz    NOT NULL,
    period_end          timestamptz    NOT NULL,
    hosted_invoice_url  text,
    billing_reason      text,
    attempt_count       integer        NOT NULL DEFAULT 0,
    paid_at             timestamptz,
    reported_at         timestamptz    NOT NULL,
    created_at          timestamptz    NOT NULL DEFAULT now(),
    updated_at          timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX subscription_invoices_subscription ON subscription_invoices (subscription_id, period_start DESC);

-- A webhook event applied to a subscription rather than a payment.
ALTER TABLE stripe_webhook_events
    ALTER COLUMN payment_id DROP NOT NULL,
    ADD COLUMN subscription_id uuid REFERENCES subscriptions (id),
    ADD CONSTRAINT stripe_webhook_events_one_subject CHECK (num_nonnulls(payment_id, subscription_id) = 1);
CREATE INDEX stripe_webhook_events_subscription ON stripe_webhook_events (subscription_id);
