-- What the self-serve shop shows of the catalog (GET /api/v1/crm/catalog, public): a short description
-- of each product, and its price when bought for a year. annual_unit_price is for products billed
-- monthly that can also be bought annually; NULL means not sold with an annual cycle. A product whose
-- billing_cycle is already 'annual' has its annual price in unit_price, so it never has a second one.
ALTER TABLE products
    ADD COLUMN description       text          NOT NULL DEFAULT '',
    ADD COLUMN annual_unit_price numeric(19,2) CHECK (annual_unit_price >= 0),
    ADD CONSTRAINT products_annual_price_of_monthly_only
        CHECK (annual_unit_price IS NULL OR billing_cycle = 'monthly');

-- A year costs ten months (two months free), exact amounts as in V2's prices.
UPDATE products AS p
   SET description = seed.description, annual_unit_price = seed.annual_unit_price
  FROM (VALUES
    ('isp-core',           'The subscriber, service and network inventory at the heart of an ISP''s operations.',
                           2990.00),
    ('billing-suite',      'Recurring invoicing, payments and dunning for your subscribers, with taxes and usage charges.',
                           1490.00),
    ('network-monitoring', 'Live health, alerts and traffic graphs for every device and link on your network.',
                            990.00),
    ('customer-portal',    'A self-service portal where your subscribers see their plans, pay bills and open tickets.',
                            790.00),
    ('support-desk',       'A ticket desk for your support team, linked to each subscriber''s services. Priced per seat.',
                            333.30)
  ) AS seed (code, description, annual_unit_price)
 WHERE p.code = seed.code;
