-- The journey-failed email: a customer whose journey failed for good after they paid is told that
-- their platform could not be set up and what became of their money, as billing-service reported
-- the quote's payment when the email was recorded: its amount and currency, its status then
-- (refunded: the money is on its way back; failed: it never arrived) and, for a failed one, why.
ALTER TABLE notifications
    ADD COLUMN payment_status  text,
    ADD COLUMN failure_message text,
    DROP CONSTRAINT notifications_kind_columns,
    ADD CONSTRAINT notifications_kind_columns CHECK (
        kind = 'welcome_email' AND tenant_subdomain IS NOT NULL AND tenant_url IS NOT NULL
        OR kind = 'payment_request' AND quote_id IS NOT NULL AND payment_url IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND payment_expires_at IS NOT NULL
        OR kind = 'journey_failed' AND quote_id IS NOT NULL AND amount IS NOT NULL AND currency IS NOT NULL
           AND payment_status IN ('refunded', 'failed'));

-- One journey-failed email per tenant and quote: a repeated request (the engine retrying its
-- compensation step, an operator with curl) finds it.
CREATE UNIQUE INDEX notifications_one_journey_failed ON notifications (tenant_id, quote_id)
    WHERE kind = 'journey_failed';
