-- One set of licenses per (tenant, customer, source): the quote or order the products come from.
-- Issuing claims the set's row first (INSERT ... ON CONFLICT DO NOTHING), so that of two
-- concurrent requests for one source the second waits for the first and then returns its set.
CREATE TABLE license_sets (
    tenant_id      text        NOT NULL,
    customer_id    text        NOT NULL,
    source_id      text        NOT NULL,
    billing_cycle  text        NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, customer_id, source_id)
);

-- One license per product of a set. Stored status is active, suspended or revoked; "expired" is
-- derived from expires_at when read. license_key is the signed token handed to the customer.
CREATE TABLE licenses (
    id             uuid        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    customer_id    text        NOT NULL,
    source_id      text        NOT NULL,
    product_code   text        NOT NULL REFERENCES product_entitlements (product_code),
    seats          integer     NOT NULL CHECK (seats > 0),
    features       text[]      NOT NULL,
    status         text        NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    billing_cycle  text        NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    issued_at      timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    key_id         text        NOT NULL,
    license_key    text        NOT NULL,
    suspended_at   timestamptz,
    revoked_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, customer_id, source_id) REFERENCES license_sets (tenant_id, customer_id, source_id),
    UNIQUE (tenant_id, customer_id, source_id, product_code)
);
CREATE INDEX licenses_by_customer ON licenses (tenant_id, customer_id, issued_at DESC, id);
