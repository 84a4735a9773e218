-- Dunning: a customer tenant whose subscription's invoice stays unpaid is suspended (its access
-- blocked, its deployment kept) and reinstated by a later payment (provisioning/CustomerTenantService).
-- The columns hold the current suspension, so a reinstatement clears them; customer_tenants.status
-- has no CHECK constraint to extend with 'suspended'.
ALTER TABLE customer_tenants
    ADD COLUMN suspended_at timestamptz,
    ADD COLUMN suspension_reason text;
