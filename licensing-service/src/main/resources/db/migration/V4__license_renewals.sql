-- A renewal extends a set of licenses to the end of the period a subscription's invoice paid for:
-- each license gets a new key, signed with the new expiry, and its old key stays valid until its own
-- expiry (a platform that holds it is not cut off while the new one is rolled out). Each paid invoice
-- renews a set once: its row is claimed first, as license_sets' is at issue.
CREATE TABLE license_renewals (
    tenant_id   text        NOT NULL,
    invoice_id  text        NOT NULL,
    source_id   text        NOT NULL,
    period_end  timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, invoice_id)
);

-- A license's earlier keys, each replaced by a renewal's, and valid until its own expires_at.
CREATE TABLE license_keys (
    id             uuid        PRIMARY KEY,
    license_id     uuid        NOT NULL REFERENCES licenses (id),
    key_id         text        NOT NULL,
    license_key    text        NOT NULL,
    expires_at     timestamptz NOT NULL,
    superseded_at  timestamptz NOT NULL
);
CREATE INDEX license_keys_license ON license_keys (license_id);
