-- A receipt offers its customer the link, signed by billing-service, that cancels the subscription at
-- its period's end; kept with the email so that a retried send carries the same link. Never shown by
-- the API: whoever holds it may cancel.
ALTER TABLE notifications ADD COLUMN cancel_url text;
