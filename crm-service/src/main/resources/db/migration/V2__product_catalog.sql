-- The vendor's product catalog: what a quote can price. It is the vendor's own list, the same for
-- every tenant (the codes are shared with licensing and sales), so unlike the tenant data it has no
-- tenant_id. Prices are exact NUMERIC amounts in the product's currency, never floating point.
CREATE TABLE products (
    code           text          PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]*$'),
    name           text          NOT NULL,
    unit_price     numeric(19,2) NOT NULL CHECK (unit_price >= 0),
    currency       text          NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    billing_cycle  text          NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    active         boolean       NOT NULL DEFAULT true,
    created_at     timestamptz   NOT NULL DEFAULT now()
);

INSERT INTO products (code, name, unit_price, currency, billing_cycle) VALUES
    ('isp-core',           'ISP Core Platform',       299.00, 'USD', 'monthly'),
    ('billing-suite',      'Billing Suite',           149.00, 'USD', 'monthly'),
    ('network-monitoring', 'Network Monitoring',       99.00, 'USD', 'monthly'),
    ('customer-portal',    'Customer Portal',          79.00, 'USD', 'monthly'),
    ('support-desk',       'Support Desk (per seat)',  33.33, 'USD', 'monthly');
