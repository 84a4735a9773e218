-- A quote billed every month or year is paid by the first invoice of the subscription its Checkout
-- Session starts. The payment names its interval, fixed with the row (every attempt must ask Stripe
-- for the same session), and, once paid, that subscription and invoice: a refund cancels the one and
-- gives back what the other's PaymentIntent took.
ALTER TABLE payments
    ADD COLUMN billing_interval text CHECK (billing_interval IN ('month', 'year')),
    ADD COLUMN stripe_subscription_id text,
    ADD COLUMN stripe_invoice_id text;
CREATE INDEX payments_stripe_subscription ON payments (stripe_subscription_id) WHERE stripe_subscription_id IS NOT NULL;
