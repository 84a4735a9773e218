-- Seat changes: a quote of kind 'change' re-prices the seats of the subscription that an accepted
-- quote of kind 'new' started (changes_quote_id). It belongs to the same lead, whose one accepted
-- quote is still the one that sold the subscription: the index counts new quotes only.
ALTER TABLE quotes
    ADD COLUMN kind             text NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'change')),
    ADD COLUMN changes_quote_id uuid REFERENCES quotes (id),
    ADD CONSTRAINT quotes_change_names_its_subscription CHECK ((kind = 'change') = (changes_quote_id IS NOT NULL));

DROP INDEX quotes_one_accepted_per_lead;
CREATE UNIQUE INDEX quotes_one_accepted_per_lead ON quotes (lead_id) WHERE status = 'accepted' AND kind = 'new';
CREATE INDEX quotes_changes ON quotes (changes_quote_id, created_at DESC) WHERE changes_quote_id IS NOT NULL;
