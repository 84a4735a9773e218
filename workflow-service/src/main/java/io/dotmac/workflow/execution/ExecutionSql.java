package io.dotmac.workflow.execution;

/**
 * The statements of {@link PgExecutionStore} and its {@link WriteBatcher}, each with what it
 * guards: the lease that fences every write of a driven execution, the fair claim across tenants,
 * and the wake-ups that must not be lost between a wait and its event.
 */
final class ExecutionSql {

    private ExecutionSql() {
    }

    // Without a lease token the execution is stored pending, unleased and due: the claim loop drives
    // it (and makes it running) when this instance (or another) has room.
    static final String INSERT_EXECUTION = """
            INSERT INTO workflow_executions (id, workflow_id, workflow_name, workflow_version, status, context,
                trigger_type, trigger_source, tenant_id, idempotency_key, lease_owner, lease_expires_at, started_at,
                driver_attempts, traceparent)
            VALUES ($1, $2, $3, $4, CASE WHEN $10::text IS NOT NULL THEN 'running' ELSE 'pending' END, $5::text::jsonb,
                    $6, $7, $8, $9, $10::text,
                    CASE WHEN $10::text IS NOT NULL THEN now() + $11 * interval '1 millisecond' END,
                    CASE WHEN $10::text IS NOT NULL THEN now() END,
                    CASE WHEN $10::text IS NOT NULL THEN 1 ELSE 0 END, $12)
            ON CONFLICT ((coalesce(tenant_id, '')), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""";

    // A waiting execution is due at once if its event came while it was being driven into the wait
    // (received since wakeEventsSince): waking on that event found it not yet WAITING.
    static final String UPDATE_EXECUTION = """
            UPDATE workflow_executions SET status = $3, context = $4::text::jsonb, result = $5::text::jsonb,
                error_message = $6, current_step = $7, running_time_ms = $8, completed_at = $10,
                next_wake_at = CASE WHEN $3 = 'waiting' AND (wake_requested OR cancel_requested
                        OR EXISTS (SELECT 1 FROM inbox_events i WHERE i.topic = $13 AND i.event_key = $14
                                      AND i.received_at >= $16)) THEN now() ELSE $9 END,
                wake_requested = false,
                lease_owner = CASE WHEN $11 THEN lease_owner END,
                lease_expires_at = CASE WHEN $11 THEN now() + $12 * interval '1 millisecond' END,
                wait_event = $13, wait_key = $14, compensation_step = $15, driver_attempts = 0, driver_error = NULL,
                updated_at = now()
            WHERE id = $1 AND lease_owner = $2
            RETURNING cancel_requested""";

    static final String UPSERT_STEP = """
            INSERT INTO workflow_steps (execution_id, run_number, sequence_number, step_name, step_type, status,
                input_data, output_data, error_message, retry_count, started_at, completed_at, duration_ms, wait_until, trace_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8::text::jsonb, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (execution_id, run_number, sequence_number) DO UPDATE SET status = excluded.status,
                input_data = excluded.input_data, output_data = excluded.output_data,
                error_message = excluded.error_message, retry_count = excluded.retry_count,
                completed_at = excluded.completed_at, duration_ms = excluded.duration_ms,
                wait_until = excluded.wait_until, trace_id = coalesce(excluded.trace_id, workflow_steps.trace_id)""";

    static final String FIND_BY_IDEMPOTENCY_KEY = """
            SELECT id FROM workflow_executions WHERE coalesce(tenant_id, '') = coalesce($1, '') AND idempotency_key = $2""";

    // Fair across tenants: the tenants with unfinished executions are walked through the index (a
    // loose index scan, one probe per tenant), each gives up to its room ($5 unless $6/$7 say
    // otherwise) of its earliest due, and the batch takes the first of every tenant, then the
    // second, and so on. driver_attempts counts the claims since the last checkpoint.
    static final String CLAIM_DUE = """
            WITH RECURSIVE tenants AS (
                (SELECT coalesce(tenant_id, '') AS tenant FROM workflow_executions
                  WHERE status IN ('pending', 'running', 'waiting') ORDER BY 1 LIMIT 1)
                UNION ALL
                SELECT (SELECT coalesce(tenant_id, '') FROM workflow_executions
                         WHERE status IN ('pending', 'running', 'waiting') AND coalesce(tenant_id, '') > tenants.tenant
                         ORDER BY 1 LIMIT 1)
                  FROM tenants WHERE tenants.tenant IS NOT NULL),
            rooms AS (SELECT * FROM unnest($6::text[], $7::int[]) AS r(tenant, room)),
            candidates AS (
                SELECT c.id, c.next_wake_at, c.turn
                  FROM tenants t
                  LEFT JOIN rooms r ON r.tenant = t.tenant
                 CROSS JOIN LATERAL (
                      SELECT d.id, d.next_wake_at, row_number() OVER (ORDER BY d.next_wake_at NULLS FIRST) AS turn FROM (
                          SELECT id, next_wake_at FROM workflow_executions
                           WHERE coalesce(tenant_id, '') = t.tenant AND status IN ('pending', 'running', 'waiting')
                             AND (next_wake_at IS NULL OR next_wake_at <= now())
                             AND (lease_expires_at IS NULL OR lease_expires_at < now())
                             AND NOT (id = ANY($4))
                           ORDER BY next_wake_at NULLS FIRST
                           LIMIT coalesce(r.room, $5)) d) c
                 WHERE t.tenant IS NOT NULL),
            due AS (
                -- Checked again on the locked row: another instance may have claimed it since the candidates were read.
                SELECT e.id FROM workflow_executions e JOIN candidates c ON c.id = e.id
                 WHERE e.status IN ('pending', 'running', 'waiting')
                   AND (e.next_wake_at IS NULL OR e.next_wake_at <= now())
                   AND (e.lease_expires_at IS NULL OR e.lease_expires_at < now())
                 ORDER BY c.turn, c.next_wake_at NULLS FIRST
                 LIMIT $2
                   FOR UPDATE OF e SKIP LOCKED),
            claimed AS (
                UPDATE workflow_executions e
                   SET lease_owner = $1 || ':' || gen_random_uuid(), lease_expires_at = now() + $3 * interval '1 millisecond',
                       next_wake_at = NULL, wake_requested = false, started_at = coalesce(e.started_at, now()),
                       status = CASE WHEN e.status = 'pending' THEN 'running' ELSE e.status END,
                       driver_attempts = e.driver_attempts + 1, updated_at = now()
                  FROM due
                 WHERE e.id = due.id
                RETURNING e.id, e.workflow_id, e.tenant_id, e.context, e.current_step, e.run_number,
                          e.running_time_ms, e.cancel_requested, e.lease_owner, e.compensation_step, e.error_message,
                          e.driver_attempts, e.driver_error, e.traceparent)
            SELECT c.id, c.workflow_id, c.tenant_id, c.context::text, c.current_step, c.run_number,
                   c.running_time_ms, c.cancel_requested, c.lease_owner,
                   s.step_name, s.step_type, s.status, s.retry_count, s.started_at, s.wait_until,
                   s.input_data::text, s.error_message, c.compensation_step, c.error_message,
                   c.driver_attempts, c.driver_error, c.traceparent
              FROM claimed c
              LEFT JOIN workflow_steps s
                ON s.execution_id = c.id AND s.run_number = c.run_number
               AND s.sequence_number = coalesce(c.compensation_step, c.current_step)""";

    // Rows a checkpoint has locked are skipped, not waited for: that checkpoint renews them anyway,
    // and waiting could deadlock against its batch.
    static final String RENEW = """
            UPDATE workflow_executions e SET lease_expires_at = now() + $3 * interval '1 millisecond'
              FROM unnest($1::uuid[], $2::text[]) AS held(id, token)
             WHERE e.id = held.id AND e.lease_owner = held.token
               AND e.id IN (SELECT id FROM workflow_executions WHERE id = ANY($1) FOR UPDATE SKIP LOCKED)""";

    // Let go in good order (shutting down): that driver attempt did not fail.
    static final String RELEASE = """
            UPDATE workflow_executions e SET lease_expires_at = now(), driver_attempts = greatest(e.driver_attempts - 1, 0)
              FROM unnest($1::uuid[], $2::text[]) AS held(id, token)
             WHERE e.id = held.id AND e.lease_owner = held.token""";

    // Small on purpose: it is written when a checkpoint of the execution could not be.
    static final String RECORD_DRIVER_FAILURE = """
            UPDATE workflow_executions SET driver_error = left($3, 2000) WHERE id = $1 AND lease_owner = $2""";

    static final String FAIL_UNRUNNABLE = """
            UPDATE workflow_executions SET status = 'failed', error_message = $3, completed_at = now(), updated_at = now(),
                next_wake_at = NULL, lease_owner = NULL, lease_expires_at = NULL
             WHERE id = $1 AND lease_owner = $2""";

    // A driven execution keeps the request in wake_requested; an idle waiting one is due at once.
    static final String WAKE = """
            UPDATE workflow_executions SET wake_requested = true, updated_at = now(),
                next_wake_at = CASE WHEN status = 'waiting' AND (lease_owner IS NULL OR lease_expires_at < now())
                                    THEN now() ELSE next_wake_at END
             WHERE id = $1 AND status IN ('pending', 'running', 'waiting')""";

    static final String WAKE_WAITING_ON = """
            UPDATE workflow_executions SET wake_requested = true, updated_at = now(),
                next_wake_at = CASE WHEN lease_owner IS NULL OR lease_expires_at < now() THEN now() ELSE next_wake_at END
             WHERE status = 'waiting' AND wait_event = $1 AND wait_key = $2
               AND ($3::text IS NULL OR tenant_id = $3)""";

    static final String WAKE_IF_ITS_EVENT_CAME = """
            UPDATE workflow_executions SET next_wake_at = now(), updated_at = now()
             WHERE id = $1 AND status = 'waiting' AND wait_event = $2 AND wait_key = $3
               AND (lease_owner IS NULL OR lease_expires_at < now())
               AND EXISTS (SELECT 1 FROM inbox_events i WHERE i.topic = $2 AND i.event_key = $3 AND i.received_at >= $4)""";
    // An execution undoing its steps is not cancelled: stopping half-way would leave some undone, some not.
    static final String CANCEL = """
            UPDATE workflow_executions SET
                status = CASE WHEN lease_owner IS NULL OR lease_expires_at < now() THEN 'cancelled' ELSE status END,
                completed_at = CASE WHEN lease_owner IS NULL OR lease_expires_at < now() THEN now() END,
                error_message = CASE WHEN lease_owner IS NULL OR lease_expires_at < now() THEN 'cancelled' END,
                lease_owner = CASE WHEN lease_owner IS NULL OR lease_expires_at < now() THEN NULL ELSE lease_owner END,
                next_wake_at = CASE WHEN lease_owner IS NULL OR lease_expires_at < now() THEN NULL ELSE next_wake_at END,
                cancel_requested = true, updated_at = now()
             WHERE id = $1 AND status IN ('pending', 'running', 'waiting') AND compensation_step IS NULL
            RETURNING status, workflow_name, workflow_version, tenant_id, running_time_ms""";

    static final String CANCEL_OPEN_STEPS = """
            UPDATE workflow_steps s SET status = 'cancelled', completed_at = now(), wait_until = NULL
              FROM workflow_executions e
             WHERE e.id = $1 AND e.status = 'cancelled' AND s.execution_id = e.id AND s.run_number = e.run_number
               AND s.status IN ('running', 'waiting', 'pending')""";

    static final String RETRY = """
            UPDATE workflow_executions SET status = 'running', run_number = run_number + 1, error_message = NULL,
                completed_at = NULL, cancel_requested = false, next_wake_at = now(), lease_owner = NULL,
                running_time_ms = 0, driver_attempts = 0, driver_error = NULL,
                lease_expires_at = NULL, updated_at = now()
             WHERE id = $1 AND status = 'failed' AND compensation_step IS NULL""";

    // An operator's compensation of a FAILED execution: a new run that undoes from the first undo
    // (sequence number = the definition's step count), if a step it completed has a compensate.
    static final String COMPENSATE = """
            UPDATE workflow_executions e SET status = 'running', run_number = e.run_number + 1,
                compensation_step = jsonb_array_length(w.definition -> 'steps'), completed_at = NULL,
                error_message = split_part(e.error_message, '; compensate_', 1),
                cancel_requested = false, next_wake_at = now(), lease_owner = NULL, running_time_ms = 0,
                driver_attempts = 0, driver_error = NULL, lease_expires_at = NULL, updated_at = now()
              FROM workflows w
             WHERE e.id = $1 AND w.id = e.workflow_id AND e.status = 'failed'
               AND EXISTS (SELECT 1 FROM workflow_steps s
                            WHERE s.execution_id = e.id AND s.status = 'completed'
                              AND s.sequence_number < jsonb_array_length(w.definition -> 'steps')
                              AND jsonb_typeof(w.definition -> 'steps' -> s.sequence_number -> 'compensate') = 'object')""";

    static final String COMPLETED_STEPS = """
            SELECT DISTINCT sequence_number FROM workflow_steps
             WHERE execution_id = $1 AND status = 'completed' AND sequence_number < $2""";
}
