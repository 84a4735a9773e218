-- The dunning emails of a subscription's unpaid invoice: the customer whose invoice's collection
-- failed is told, at each stage of dunning (failed, reminder, suspended), how much is due, for which
-- period, and where to pay it (the invoice's hosted page), as billing-service reported the open
-- invoice when the email was recorded. The receipt's invoice columns serve it; amount is the amount due.
ALTER TABLE notifications
    ADD COLUMN dunning_stage text,
    DROP CONSTRAINT notifications_kind_columns,
    ADD CONSTRAINT notifications_kind_columns CHECK (
        kind = 'welcome_email' AND tenant_subdomain IS NOT NULL AND tenant_url IS NOT NULL
        OR kind = 'payment_request' AND quote_id IS NOT NULL AND payment_url IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND payment_expires_at IS NOT NULL
        OR kind = 'journey_failed' AND quote_id IS NOT NULL AND amount IS NOT NULL AND currency IS NOT NULL
           AND payment_status IN ('refunded', 'failed')
        OR kind = 'receipt' AND quote_id IS NOT NULL AND invoice_id IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND period_start IS NOT NULL AND period_end IS NOT NULL
        OR kind = 'payment_failed' AND quote_id IS NOT NULL AND invoice_id IS NOT NULL AND invoice_url IS NOT NULL
           AND amount IS NOT NULL AND currency IS NOT NULL AND period_start IS NOT NULL AND period_end IS NOT NULL
           AND dunning_stage IN ('failed', 'reminder', 'suspended'));

-- One email per tenant, invoice and stage: a repeated request (the engine retrying its step, an
-- operator with curl) finds it, and the next stage of the same invoice is a new email.
CREATE UNIQUE INDEX notifications_one_payment_failed ON notifications (tenant_id, invoice_id, dunning_stage)
    WHERE kind = 'payment_failed';
