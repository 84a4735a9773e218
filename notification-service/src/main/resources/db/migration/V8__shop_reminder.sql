-- The reminder of a shop checkout left unpaid: its customer is asked once more to pay the quote's
-- payment on its Checkout page (open until payment_expires_at), with a link back to the checkout's
-- order page at the shop (order_url), as billing-service and sales-service reported them when the
-- email was recorded.
ALTER TABLE notifications
    ADD COLUMN order_url text,
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
           AND dunning_stage IN ('failed', 'reminder', 'suspended')
        OR kind = 'shop_reminder' AND quote_id IS NOT NULL AND payment_url IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND payment_expires_at IS NOT NULL AND order_url IS NOT NULL);

-- One reminder per tenant and quote (a shop checkout is one quote), however often it is asked for.
CREATE UNIQUE INDEX notifications_one_shop_reminder ON notifications (tenant_id, quote_id) WHERE kind = 'shop_reminder';
