package io.dotmac.workflow.definition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An event that starts the workflow: when one arrives on {@code event}, an execution starts with
 * the context built from {@code context}, whose templates read the event's data ({@code ${data.quote_id}})
 * and envelope ({@code ${event.id}}, {@code ${event.key}}, {@code ${event.tenant}}).
 *
 * <p>{@code unlessRunning}, when set, makes the event start nothing while an execution of another
 * workflow drives the same business object (or drove it to completion): an accepted quote whose
 * lead's {@code lead_to_customer} runs is that execution's to finish, so {@code quote_accepted}
 * does not start a second journey for it.
 *
 * <p>{@code when}, when set, is an expression over the event ({@code data}, {@code event}): the
 * event starts nothing unless it is true. {@code subscription_renewed} starts only for a renewal's
 * invoice, not for the first, which the customer's journey paid.
 */
public record Trigger(String event, Map<String, Object> context, UnlessRunning unlessRunning, String when) {

    /**
     * No start while an execution of {@code workflow} (pending, running, waiting or completed) in
     * the event's tenant has the business key {@code key} (a template over the event, like the context).
     */
    public record UnlessRunning(String workflow, String key) {
        public UnlessRunning {
            Objects.requireNonNull(workflow, "workflow");
            Objects.requireNonNull(key, "key");
        }
    }

    /** The events a workflow can be started or woken by. */
    public static final Set<String> EVENTS = Set.of("crm.quote.accepted", "billing.payment.received", "billing.payment.updated",
            "billing.invoice.paid", "billing.invoice.payment_failed", "billing.subscription.cancelled", "sales.cart.checked_out");

    /** The context roots a trigger's templates can read. */
    public static final Set<String> ROOTS = Set.of("data", "event");

    public Trigger {
        Objects.requireNonNull(event, "event");
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }
}
