-- The Stripe Checkout Session a payment is paid on (Stripe's hosted page), when billing does not
-- confirm PaymentIntents itself: the session, the page the customer is sent to, and when Stripe
-- closes it (then the payment is failed: "payment not received").
ALTER TABLE payments
    ADD COLUMN checkout_session_id  text UNIQUE,
    ADD COLUMN checkout_url         text,
    ADD COLUMN checkout_expires_at  timestamptz;
