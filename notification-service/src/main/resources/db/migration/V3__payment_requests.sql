-- The payment request email: the link to the Stripe Checkout page of an accepted quote's payment,
-- with what the email says about it, as billing-service reported it when the email was recorded.
-- The welcome email's columns are that kind's only.
ALTER TABLE notifications
    ALTER COLUMN tenant_subdomain DROP NOT NULL,
    ALTER COLUMN tenant_url DROP NOT NULL,
    ADD COLUMN quote_id           text,
    ADD COLUMN payment_url        text,
    ADD COLUMN amount             numeric,
    ADD COLUMN currency           text,
    ADD COLUMN payment_expires_at timestamptz,
    ADD CONSTRAINT notifications_kind_columns CHECK (
        kind = 'welcome_email' AND tenant_subdomain IS NOT NULL AND tenant_url IS NOT NULL
        OR kind = 'payment_request' AND quote_id IS NOT NULL AND payment_url IS NOT NULL AND amount IS NOT NULL
           AND currency IS NOT NULL AND payment_expires_at IS NOT NULL);

-- One payment request per tenant, quote and checkout page: a repeated request finds it, and a
-- re-opened checkout (a new URL) is a new email.
CREATE UNIQUE INDEX notifications_one_payment_request ON notifications (tenant_id, quote_id, payment_url)
    WHERE kind = 'payment_request';
