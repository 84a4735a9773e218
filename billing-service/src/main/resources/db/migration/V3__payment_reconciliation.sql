-- When the reconciliation job last asked Stripe about a payment that stayed pending: a payment
-- whose webhook was lost is asked about again no sooner than billing.reconciliation.after later.
ALTER TABLE payments ADD COLUMN reconciled_at timestamptz;
CREATE INDEX payments_pending_since ON payments (updated_at) WHERE status = 'pending';
