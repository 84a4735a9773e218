-- A service call with no "result" now stores its output under the key its operation names
-- (qualify_lead -> lead) instead of the step's name, and a process_payment step now waits for the
-- payment's outcome unless it says "await_outcome": false (DefinitionParser, Conventions). Stored
-- definitions, which are read again whenever they run, keep their meaning: each gets what it used to
-- mean written out.
UPDATE workflows w
   SET definition = jsonb_set(w.definition, '{steps}', (
       SELECT jsonb_agg(
                  CASE WHEN jsonb_typeof(s) = 'object' AND s->>'type' = 'service_call' THEN
                      s || CASE WHEN coalesce(jsonb_typeof(s->'result'), 'null') = 'null'
                                THEN jsonb_build_object('result', s->'name') ELSE '{}'::jsonb END
                        || CASE WHEN s->>'service' = 'billing_service' AND s->>'method' = 'process_payment'
                                     AND NOT s ? 'await_outcome'
                                THEN '{"await_outcome": false}'::jsonb ELSE '{}'::jsonb END
                  ELSE s END
                  ORDER BY i)
         FROM jsonb_array_elements(w.definition->'steps') WITH ORDINALITY AS t(s, i)))
 WHERE jsonb_typeof(w.definition->'steps') = 'array' AND jsonb_array_length(w.definition->'steps') > 0;
