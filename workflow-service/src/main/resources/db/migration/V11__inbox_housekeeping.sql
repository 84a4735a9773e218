-- Housekeeping deletes inbox events by their age (received_at, never updated): a BRIN index finds
-- the old ones without a scan of the table every round.
CREATE INDEX inbox_events_received_brin ON inbox_events USING brin (received_at);
