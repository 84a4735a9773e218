-- Seat changes: a quote of kind change re-prices its subscription's item through Stripe, prorated
-- and invoiced at once, applied only once that invoice is paid (Stripe's pending updates). One row
-- per change quote; sequence orders a subscription's changes as Stripe applied them, so licensing
-- can tell the newest; one change at a time per subscription is being made (status pending).
CREATE TABLE subscription_changes (
    id                uuid          PRIMARY KEY,
    tenant_id         text          NOT NULL,
    quote_id          text          NOT NULL,
    subscription_id   uuid          NOT NULL REFERENCES subscriptions (id),
    -- The subscription's quote (the license set's source) and Stripe's id: what the journey names.
    subscription_quote_id  text     NOT NULL,
    stripe_subscription_id text     NOT NULL,
    sequence          integer       NOT NULL CHECK (sequence > 0),
    status            text          NOT NULL CHECK (status IN ('pending', 'awaiting_payment', 'applied', 'expired')),
    amount            numeric(19, 2) NOT NULL,
    currency          text          NOT NULL,
    prorated_amount   numeric(19, 2),
    credited_amount   numeric(19, 2),
    charged_amount    numeric(19, 2),
    stripe_invoice_id text,
    created_at        timestamptz   NOT NULL,
    updated_at        timestamptz   NOT NULL,
    UNIQUE (tenant_id, quote_id),
    UNIQUE (subscription_id, sequence)
);

CREATE UNIQUE INDEX subscription_changes_one_pending ON subscription_changes (subscription_id) WHERE status = 'pending';
CREATE INDEX subscription_changes_invoice ON subscription_changes (stripe_invoice_id) WHERE stripe_invoice_id IS NOT NULL;
