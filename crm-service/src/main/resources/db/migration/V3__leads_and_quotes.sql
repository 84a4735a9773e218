-- Leads: a prospective customer and what they asked for. products is the requested list
-- [{product_code, quantity}]; qualification_reasons the reasons of the last qualification that failed.
CREATE TABLE leads (
    id                     uuid        PRIMARY KEY,
    tenant_id              text        NOT NULL,
    customer_name          text        NOT NULL,
    customer_email         text        NOT NULL,
    company_name           text        NOT NULL,
    organization_slug      text        NOT NULL,
    region                 text        NOT NULL,
    products               jsonb       NOT NULL DEFAULT '[]',
    source                 text,
    status                 text        NOT NULL CHECK (status IN ('new', 'qualified', 'disqualified', 'converted')),
    owner                  text,
    notes                  text,
    qualification_reasons  jsonb       NOT NULL DEFAULT '[]',
    qualified_at           timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_tenant_created ON leads (tenant_id, created_at DESC, id);
CREATE INDEX leads_tenant_status_created ON leads (tenant_id, status, created_at DESC, id);
-- The slug becomes the customer's subdomain: within a tenant only one qualified or converted lead
-- holds it. Qualification checks first and disqualifies; this catches two qualifying at once.
CREATE UNIQUE INDEX leads_slug_held ON leads (tenant_id, organization_slug) WHERE status IN ('qualified', 'converted');

-- Human-readable quote numbers (Q-000042), unique across the service.
CREATE SEQUENCE quote_number_seq START WITH 1;

-- Quotes: a priced offer for a qualified lead's products. items is the priced snapshot
-- [{product_code, product_name, quantity, unit_price, line_total}] with exact decimal amounts;
-- the customer fields are copied from the lead because the order is made from the quote alone.
CREATE TABLE quotes (
    id                 uuid          PRIMARY KEY,
    tenant_id          text          NOT NULL,
    lead_id            uuid          NOT NULL REFERENCES leads (id),
    quote_number       text          NOT NULL UNIQUE,
    status             text          NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'rejected', 'expired')),
    currency           text          NOT NULL,
    billing_cycle      text          NOT NULL,
    total_amount       numeric(19,2) NOT NULL CHECK (total_amount >= 0),
    items              jsonb         NOT NULL,
    customer_email     text          NOT NULL,
    customer_name      text          NOT NULL,
    company_name       text          NOT NULL,
    organization_slug  text          NOT NULL,
    region             text          NOT NULL,
    valid_until        date          NOT NULL,
    sent_at            timestamptz,
    accepted_at        timestamptz,
    accepted_by        text,
    rejected_at        timestamptz,
    rejection_reason   text,
    created_at         timestamptz   NOT NULL DEFAULT now(),
    updated_at         timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX quotes_tenant_lead_created ON quotes (tenant_id, lead_id, created_at DESC, id);
-- A lead is converted by one accepted quote; a second acceptance is refused before it gets here.
CREATE UNIQUE INDEX quotes_one_accepted_per_lead ON quotes (lead_id) WHERE status = 'accepted';
