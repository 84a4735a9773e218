-- Leads from the self-serve shop (issue 18). At checkout the workflow engine turns a cart into a lead
-- and an accepted quote in one call (POST /api/v1/crm/quotes/from-cart), which it may send again after
-- a crash, a lost answer or a double click. Each step commits by itself, so the call after finds the
-- lead by the cart it came from and goes on from where the last one stopped.

-- source_ref: what the lead is in its source's own terms (source 'shop': the cart's id); NULL for
-- leads taken in by hand. billing_cycle: the cycle the customer chose, which prices every product of
-- its quotes (annual: a monthly product's annual_unit_price, an annual product's unit_price); NULL
-- keeps each product's own cycle, as every lead before had.
ALTER TABLE leads
    ADD COLUMN source_ref    text CHECK (length(source_ref) <= 200),
    ADD COLUMN billing_cycle text CHECK (billing_cycle IN ('monthly', 'annual'));

-- One lead per cart of a tenant: two checkouts of one cart at once cannot both make one (the second
-- finds the first's, after the advisory lock on the reference that they take in turn), and a cart's
-- lead accepts one quote only (quotes_one_accepted_per_lead), so a cart has one accepted quote at most.
CREATE UNIQUE INDEX leads_source_ref ON leads (tenant_id, source_ref) WHERE source_ref IS NOT NULL;

-- The cart a quote was made from, copied from its lead like the customer fields, so that the quote
-- alone says it (its view and the crm.quote.accepted event carry it; the journey shows it as a
-- business key). NULL for quotes of leads taken in by hand, and for seat changes.
ALTER TABLE quotes ADD COLUMN cart_id uuid;
