-- The shop's carts (issue 18): a visitor's cart kept server-side, found by its id and proven by
-- the secret in the visitor's HttpOnly cookie, of which only a SHA-256 hash is stored (a copy of
-- this table opens no cart). Its lines are one small JSON list (bounded by sales.shop.max-lines),
-- changed under the cart row's lock; each keeps the price the visitor agreed to, so a catalog
-- change shows before paying and is never applied silently. A cart idle longer than
-- sales.shop.cart-idle-timeout is expired, and deleted by housekeeping (updated_at, BRIN).
-- Checkout keeps the visitor's contact on the cart and hands it to the workflow engine
-- (sales.cart.checked_out through the outbox), which makes the lead and accepted quote in crm and
-- the payment in billing, and records the quote and Stripe's page here (quote_id, checkout_url);
-- a checkout the engine could not complete is failed, with its reason.
CREATE TABLE shop_carts (
    id                 uuid        PRIMARY KEY,
    tenant_id          text        NOT NULL,
    secret_hash        bytea       NOT NULL CHECK (length(secret_hash) = 32),
    status             text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'checked_out', 'failed')),
    billing_cycle      text        NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    lines              jsonb       NOT NULL DEFAULT '{"items": []}',
    customer_name      text,
    customer_email     text,
    company_name       text,
    organization_slug  text,
    region             text,
    checked_out_at     timestamptz,
    quote_id           text,
    checkout_url       text,
    failure_reason     text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shop_carts_updated_at ON shop_carts USING brin (updated_at);
