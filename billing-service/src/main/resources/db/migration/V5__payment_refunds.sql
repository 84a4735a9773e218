-- A payment given back through Stripe's Refund API (POST /api/v1/billing/payments/{id}/refund): the
-- refund Stripe made (one per payment, its Idempotency-Key being "<payment id>:refund"), why, and
-- when billing recorded it. A refund made in Stripe's dashboard reaches billing by the
-- charge.refunded webhook instead: refunded_at is set, the refund id and reason stay null.
ALTER TABLE payments
    ADD COLUMN stripe_refund_id  text UNIQUE,
    ADD COLUMN refunded_at       timestamptz,
    ADD COLUMN refund_reason     text CHECK (char_length(refund_reason) <= 500);
