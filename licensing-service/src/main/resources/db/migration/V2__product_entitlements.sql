-- What a license for each product grants: its features. The product catalog is the suite's own
-- (crm seeds the same codes), the same for every tenant, so this reference table alone has no
-- tenant_id. A license copies the features at issue time: changing a row here changes only
-- licenses issued afterwards. Seats are the quantity bought (support-desk: agents).
CREATE TABLE product_entitlements (
    product_code  text        PRIMARY KEY,
    product_name  text        NOT NULL,
    features      text[]      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

INSERT INTO product_entitlements (product_code, product_name, features) VALUES
    ('isp-core', 'ISP Core Platform',
     ARRAY['subscriber-management', 'radius-aaa', 'ipam', 'service-plans', 'network-inventory']),
    ('billing-suite', 'Billing Suite',
     ARRAY['invoicing', 'recurring-billing', 'payment-collection', 'tax-rules', 'dunning']),
    ('network-monitoring', 'Network Monitoring',
     ARRAY['snmp-polling', 'device-alerts', 'bandwidth-graphs', 'uptime-reports']),
    ('customer-portal', 'Customer Portal',
     ARRAY['self-service-account', 'online-payments', 'ticket-submission', 'usage-dashboard']),
    ('support-desk', 'Support Desk',
     ARRAY['ticketing', 'sla-tracking', 'knowledge-base', 'live-chat']);
