-- Business keys: the values an operator searches executions by ("where is this customer?"): the
-- quote, lead, order or payment id, the customer's email. They are read from the context, which
-- starts as the trigger's input and gathers the steps' results: every top-level string or number
-- (the inputs: lead_id, quote_id, customer_email, ...), and in the top-level objects (the results:
-- quote, lead, order, ...) the values of `id`, `*_id`, `*email` and `*_number`. Lower-cased, so an
-- email matches whatever its case; longer than 200 characters, a value is text, not a key (and
-- would not fit an index entry).
CREATE FUNCTION workflow_business_keys(context jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT lower(k.value)), '{}')
      FROM (SELECT top.value #>> '{}' AS value
              FROM jsonb_each(CASE WHEN jsonb_typeof(context) = 'object' THEN context ELSE '{}' END) top
             WHERE jsonb_typeof(top.value) IN ('string', 'number')
            UNION ALL
            SELECT inner_value.value #>> '{}'
              FROM jsonb_each(CASE WHEN jsonb_typeof(context) = 'object' THEN context ELSE '{}' END) top
             CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(top.value) = 'object' THEN top.value ELSE '{}' END) inner_value
             WHERE jsonb_typeof(inner_value.value) IN ('string', 'number')
               AND (inner_value.key = 'id' OR inner_value.key LIKE '%\_id' OR inner_value.key LIKE '%email'
                    OR inner_value.key LIKE '%\_number')) k
     WHERE length(k.value) BETWEEN 1 AND 200
$$;

-- Searched within the caller's tenant: the planner combines this with the tenant's index.
CREATE INDEX workflow_executions_business_keys ON workflow_executions USING gin (workflow_business_keys(context));
