-- A seat change (license/SeatChangeService): a quote of kind change, once billing reports its
-- proration paid, gives the licenses of the quote whose subscription it changes (their source_id)
-- its products and seats. Each change applied is kept with billing's sequence, the order in which
-- the subscription's changes were made at Stripe: one not newer than the latest applied to its
-- source changes nothing, so changes delivered out of order, or twice, end on the newest.
CREATE TABLE license_changes (
    tenant_id   text        NOT NULL,
    change_id   text        NOT NULL,
    source_id   text        NOT NULL,
    sequence    integer     NOT NULL CHECK (sequence > 0),
    applied_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, change_id),
    UNIQUE (tenant_id, source_id, sequence)
);

-- When a replaced key stopped verifying before its own expiry: a renewal's runs to its expires_at (the
-- platform holding it is not cut off while the new key is rolled out: null here), a seat change's
-- stops at once, and so does every earlier key of that license (they grant seats it no longer has: 10
-- seats kept valid after going down to 5).
ALTER TABLE license_keys ADD COLUMN valid_until timestamptz;

-- A product a seat change removed (its license revoked, removed_by_change naming the change) that a
-- later change buys again gets a new license beside the revoked one: one license per product of a
-- set that is not revoked. A license revoked otherwise (an operator's, an undone journey's) stays
-- revoked whatever a change says, as revocation is final.
ALTER TABLE licenses ADD COLUMN removed_by_change text;
ALTER TABLE licenses DROP CONSTRAINT licenses_tenant_id_customer_id_source_id_product_code_key;
CREATE UNIQUE INDEX licenses_one_live_per_product ON licenses (tenant_id, customer_id, source_id, product_code)
    WHERE status <> 'revoked';
