-- A suspension is a set of holds, each with its cause (license/License.hold and lift): an invoice's
-- ('invoice:<id>', put by dunning and lifted when that invoice is paid) or an operator's ('operator').
-- A license is suspended while any hold is on it, so a paid invoice never lifts an operator's
-- suspension or another unpaid invoice's. licenses.status stays the derived state, changed in the
-- same transaction as the holds, with the license's row locked. A hold is deleted when lifted; the
-- rows on record say who keeps a license suspended, why (reason) and since when.
CREATE TABLE license_holds (
    license_id  uuid        NOT NULL REFERENCES licenses (id),
    hold        text        NOT NULL,
    reason      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (license_id, hold)
);

-- Suspensions made before holds had no cause on record: the operator's, so that only an operator's
-- reinstatement lifts them. suspended_at is kept by a revocation or expiry (and cleared by a
-- reinstatement), so a license revoked or expired while suspended keeps its suspension on record too.
INSERT INTO license_holds (license_id, hold, created_at)
SELECT id, 'operator', suspended_at FROM licenses WHERE suspended_at IS NOT NULL;
