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
 */
public record Trigger(String event, Map<String, Object> context) {

    /** The events a workflow can be started or woken by. */
    public static final Set<String> EVENTS = Set.of("crm.quote.accepted", "billing.payment.received");

    /** The context roots a trigger's templates can read. */
    public static final Set<String> ROOTS = Set.of("data", "event");

    public Trigger {
        Objects.requireNonNull(event, "event");
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }
}
