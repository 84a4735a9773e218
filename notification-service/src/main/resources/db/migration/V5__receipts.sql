-- The receipt of a subscription's renewal: the customer whose invoice was paid is told how much, for
-- which period, and where Stripe keeps the invoice, as billing-service reported the invoice when the
-- email was recorded. One per tenant and invoice.
ALTER TABLE notifications
    ADD COLUMN invoice_id    text,
    ADD COLUMN invoice_url   text,
    ADD COLUMN period_start  timestamptz,
    ADD COLUMN period_end    timestamptz,
    DROP CONSTRAINT notifications_kind_columns,
    ADD CONSTRAINT notifications_kind_columns CHECK (
        kind = 'welcome_email' AND tenant_subdomain IS NOT NULL AND tenant_url IS NOT NULL
        OR kind = 'payment_request' AND quote_id IS NOT NULL AND payment_url IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND payment_expires_at IS NOT NULL
        OR kind = 'journey_failed' AND quote_id IS NOT NULL AND amount IS NOT NULL AND currency IS NOT NULL
           AND payment_status IN ('refunded', 'failed')
        OR kind = 'receipt' AND quote_id IS NOT NULL AND invoice_id IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND period_start IS NOT NULL AND period_end IS NOT NULL);

CREATE UNIQUE INDEX notifications_one_receipt ON notifications (tenant_id, invoice_id) WHERE kind = 'receipt';
