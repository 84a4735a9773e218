-- Cancelling an order tears down what it provisioned (order/OrderService.cancel, through the
-- Provisioner): its customer tenant, deployment and service activations. The rows stay, as the
-- record of what was provisioned and when it was torn down: status 'deprovisioned' and the time.
--
-- A deprovisioned customer tenant keeps its slug (customer_tenants_slug_unique), and the slug's
-- reservation (slug_reservations, held for good since the quote was accepted) is left as it is:
-- the slug belongs to the accepted quote's customer, not to whoever asks next.
ALTER TABLE customer_tenants ADD COLUMN deprovisioned_at timestamptz;
ALTER TABLE deployment_instances ADD COLUMN deprovisioned_at timestamptz;
ALTER TABLE service_activations ADD COLUMN deprovisioned_at timestamptz;

ALTER TABLE service_activations
    DROP CONSTRAINT service_activations_status_check,
    ADD CONSTRAINT service_activations_status_check
        CHECK (status IN ('pending', 'completed', 'failed', 'deprovisioned'));
