-- A suspension is a set of holds, each with its cause (provisioning/CustomerTenant.hold and lift): an
-- invoice's ('invoice:<id>', put by dunning and lifted when that invoice is paid) or an operator's
-- ('operator'). A customer tenant is suspended while any hold is on it, so a paid invoice never lifts
-- an operator's suspension or another unpaid invoice's. customer_tenants.status stays the derived
-- state, changed in the same transaction as the holds, with the tenant's order locked. A hold is
-- deleted when lifted; the rows on record say who keeps a customer suspended, why and since when.
CREATE TABLE customer_tenant_holds (
    customer_tenant_id  uuid        NOT NULL REFERENCES customer_tenants (id),
    hold                text        NOT NULL,
    reason              text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_tenant_id, hold)
);

-- Suspensions made before holds had no cause on record: the operator's, so that only an operator's
-- reinstatement lifts them, with the reason they were given. A tenant torn down while suspended
-- keeps its suspended_at, and so its suspension on record.
INSERT INTO customer_tenant_holds (customer_tenant_id, hold, reason, created_at)
SELECT id, 'operator', suspension_reason, suspended_at FROM customer_tenants WHERE suspended_at IS NOT NULL;

-- Each hold keeps its own reason: suspension_reason is no longer read or written. It stays for now,
-- so that replicas of the previous version keep working while a rolling update replaces them.
COMMENT ON COLUMN customer_tenants.suspension_reason IS 'Unused since V6 (customer_tenant_holds.reason)';
