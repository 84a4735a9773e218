-- Orders made from accepted quotes, and what processing an order provisions: a customer tenant,
-- its deployment, one activation per service bought. Every row carries the owning API tenant
-- (tenant_id, the JWT's claim) for scoping; the customer tenant is a different thing: the
-- workspace at https://<slug>.<base domain> that an order provisions.

CREATE TABLE orders (
    id                      uuid          PRIMARY KEY,
    tenant_id               text          NOT NULL,
    external_order_id       text          NOT NULL,
    quote_id                text          NOT NULL,
    status                  text          NOT NULL
        CHECK (status IN ('draft', 'submitted', 'processing', 'active', 'failed', 'cancelled')),
    failure_reason          text,
    source                  text          NOT NULL,
    customer_email          text          NOT NULL,
    customer_name           text,
    company_name            text,
    organization_slug       text          NOT NULL,
    region                  text          NOT NULL,
    currency                text          NOT NULL,
    billing_cycle           text,
    total_amount            numeric(19,2) NOT NULL,
    -- {"items": [{service_code, service_name, quantity}]} from the quote's line items
    services                jsonb         NOT NULL,
    customer_tenant_id      uuid,
    deployment_instance_id  uuid,
    created_at              timestamptz   NOT NULL,
    updated_at              timestamptz   NOT NULL,
    submitted_at            timestamptz,
    activated_at            timestamptz,
    cancelled_at            timestamptz,
    -- One order per quote, however often or concurrently it is asked for.
    CONSTRAINT orders_external_order_id_unique UNIQUE (tenant_id, external_order_id),
    CONSTRAINT orders_quote_unique UNIQUE (tenant_id, quote_id)
);
CREATE INDEX orders_by_created ON orders (tenant_id, created_at DESC);
CREATE INDEX orders_by_status ON orders (tenant_id, status, created_at DESC);

CREATE TABLE customer_tenants (
    id          uuid        PRIMARY KEY,
    tenant_id   text        NOT NULL,
    -- A DNS label under the tenant base domain: unique across ALL API tenants.
    slug        text        NOT NULL,
    name        text,
    status      text        NOT NULL,
    order_id    uuid        NOT NULL REFERENCES orders (id),
    created_at  timestamptz NOT NULL,
    CONSTRAINT customer_tenants_slug_unique UNIQUE (slug),
    CONSTRAINT customer_tenants_order_unique UNIQUE (order_id)
);
CREATE INDEX customer_tenants_by_tenant ON customer_tenants (tenant_id);

CREATE TABLE deployment_instances (
    id                  uuid        PRIMARY KEY,
    tenant_id           text        NOT NULL,
    customer_tenant_id  uuid        NOT NULL REFERENCES customer_tenants (id),
    order_id            uuid        NOT NULL REFERENCES orders (id),
    region              text        NOT NULL,
    status              text        NOT NULL,
    endpoint_url        text        NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- A retried order never gets a second deployment.
    CONSTRAINT deployment_instances_order_unique UNIQUE (order_id)
);
CREATE INDEX deployment_instances_by_tenant ON deployment_instances (tenant_id);

ALTER TABLE orders
    ADD CONSTRAINT orders_customer_tenant_fk FOREIGN KEY (customer_tenant_id) REFERENCES customer_tenants (id),
    ADD CONSTRAINT orders_deployment_instance_fk FOREIGN KEY (deployment_instance_id) REFERENCES deployment_instances (id);

CREATE TABLE service_activations (
    id            uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    order_id      uuid        NOT NULL REFERENCES orders (id),
    -- the order of the service in the order's list, so activations read in the order bought
    position      integer     NOT NULL,
    service_code  text        NOT NULL,
    service_name  text,
    quantity      integer     NOT NULL,
    status        text        NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    attempts      integer     NOT NULL DEFAULT 0,
    error         text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    CONSTRAINT service_activations_service_unique UNIQUE (order_id, service_code)
);
