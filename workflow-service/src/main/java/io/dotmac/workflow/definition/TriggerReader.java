package io.dotmac.workflow.definition;

import static io.dotmac.workflow.definition.JsonFields.describe;
import static io.dotmac.workflow.definition.JsonFields.present;
import static io.dotmac.workflow.definition.JsonFields.requiredString;
import static io.dotmac.workflow.definition.JsonFields.sorted;
import static io.dotmac.workflow.definition.JsonFields.toJavaMap;
import static io.dotmac.workflow.definition.JsonFields.unknownFields;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.definition.References.Reference;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.ExpressionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What starts a workflow by itself: its triggers (an event, whose data builds every input) and its
 * schedule (a cron, whose context may read only the due time).
 */
public final class TriggerReader {

    private static final List<String> TRIGGER_FIELDS = List.of("event", "context", "unless_running", "when");
    private static final List<String> UNLESS_RUNNING_FIELDS = List.of("workflow", "key");
    private static final List<String> SCHEDULE_FIELDS = List.of("cron", "context");

    private TriggerReader() {
    }

    /**
     * Each trigger names a known event and builds every input from the event's data and envelope;
     * its {@code when}, if any, is an expression that reads only the event.
     */
    static List<Trigger> triggers(Place at, JsonNode node, List<String> inputs, ExpressionEngine expressions) {
        List<Trigger> triggers = new ArrayList<>();
        if (!present(node)) {
            return triggers;
        }
        if (!node.isArray()) {
            at.error("triggers", "must be a list of {event, context} (got " + describe(node) + ")");
            return triggers;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            Place in = at.within("triggers[" + i + "]");
            if (!item.isObject()) {
                at.error("triggers[" + i + "]", "must be an object with event and context (got " + describe(item) + ")");
                continue;
            }
            unknownFields(in, item, TRIGGER_FIELDS);
            String event = knownEvent(in, item);
            JsonNode contextNode = item.get("context");
            if (!present(contextNode) || !contextNode.isObject()) {
                in.error("context", "required: an object mapping each input to the event, e.g. {\"quote_id\": \"${data.quote_id}\"}");
                continue;
            }
            Map<String, Object> context = toJavaMap(contextNode);
            readsTheEvent(in, "context", context, "a trigger reads the event");
            for (String input : inputs) {
                if (!context.containsKey(input)) {
                    in.error("context." + input, "input '" + input + "' is not set from the event");
                }
            }
            Trigger.UnlessRunning unlessRunning = unlessRunning(in, item.get("unless_running"));
            String when = when(in, item.get("when"), expressions);
            if (event != null) {
                triggers.add(new Trigger(event, context, unlessRunning, when));
            }
        }
        return triggers;
    }

    /** An expression over the event (its data and envelope only), or absent. */
    private static String when(Place at, JsonNode node, ExpressionEngine expressions) {
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            at.error("when", "must be an expression over the event, e.g. \"data.billing_reason == 'subscription_cycle'\" (got "
                    + describe(node) + ")");
            return null;
        }
        try {
            for (String root : expressions.compile(node.textValue()).roots()) {
                if (!Trigger.ROOTS.contains(root)) {
                    at.error("when", "reads '" + root + "': a trigger's when reads only the event, data.… or event.…");
                    return null;
                }
            }
        } catch (ExpressionException e) {
            at.error("when", e.getMessage());
            return null;
        }
        return node.textValue();
    }

    /** {"workflow": a workflow's name, "key": a template over the event}, or absent. */
    private static Trigger.UnlessRunning unlessRunning(Place at, JsonNode node) {
        if (!present(node)) {
            return null;
        }
        String example = "{\"workflow\": \"lead_to_customer\", \"key\": \"${data.quote_id}\"}";
        if (!node.isObject()) {
            at.error("unless_running", "must be an object such as " + example + " (got " + describe(node) + ")");
            return null;
        }
        Place in = at.within("unless_running");
        unknownFields(in, node, UNLESS_RUNNING_FIELDS);
        JsonNode workflow = node.get("workflow");
        JsonNode key = node.get("key");
        boolean valid = true;
        if (!present(workflow) || !workflow.isTextual() || !WorkflowDefinition.NAME.matcher(workflow.textValue()).matches()) {
            in.error("workflow", "required: the name of the workflow whose running execution takes the event's place");
            valid = false;
        }
        if (!present(key) || !key.isTextual() || !key.textValue().contains("${")) {
            in.error("key", "required: the business key that execution carries, read from the event, e.g. \"${data.quote_id}\"");
            return null;
        }
        valid &= readsTheEvent(in, "key", key.textValue(), "the key reads the event");
        return valid ? new Trigger.UnlessRunning(workflow.textValue(), key.textValue()) : null;
    }

    /** Whether every template in {@code value} reads the event; each that does not is reported. */
    private static boolean readsTheEvent(Place at, String field, Object value, String rule) {
        List<Reference> references = new ArrayList<>();
        References.templates(at, field, value, references);
        boolean all = true;
        for (Reference ref : references) {
            if (!Trigger.ROOTS.contains(ref.root())) {
                at.error(ref.field(), ref.template() + " — " + rule + ": ${data.…} or ${event.id|key|tenant|source|type}");
                all = false;
            }
        }
        return all;
    }

    /** A cron the Quartz parser accepts, and a context that sets every input (it may read ${schedule.due_at}). */
    static Schedule schedule(Place at, JsonNode node, List<String> inputs) {
        if (!present(node)) {
            return null;
        }
        if (!node.isObject()) {
            at.error("schedule", "must be an object with cron and context (got " + describe(node) + ")");
            return null;
        }
        Place in = at.within("schedule");
        unknownFields(in, node, SCHEDULE_FIELDS);
        String cron = requiredString(in, node, "cron");
        if (cron != null) {
            try {
                Schedule.PARSER.parse(cron).validate();
            } catch (RuntimeException e) {
                // cron-utils answers some malformed crons with an IllegalArgumentException, others with an index error.
                in.error("cron", "'" + cron + "' is not a Quartz cron expression (seconds minutes hours day-of-month month "
                        + "day-of-week, e.g. '0 0 6 * * ?'): " + e.getMessage());
                cron = null;
            }
        }
        JsonNode contextNode = node.get("context");
        Map<String, Object> context = present(contextNode) && contextNode.isObject() ? toJavaMap(contextNode) : Map.of();
        if (present(contextNode) && !contextNode.isObject()) {
            in.error("context", "must be an object (got " + describe(contextNode) + ")");
        }
        List<Reference> references = new ArrayList<>();
        References.templates(in, "context", context, references);
        for (Reference ref : references) {
            if (!"${schedule.due_at}".equals(ref.template())) {
                in.error(ref.field(), ref.template() + " — a schedule's context can read only ${schedule.due_at}");
            }
        }
        for (String input : inputs) {
            if (!context.containsKey(input)) {
                in.error("context." + input, "input '" + input + "' is not set by the schedule");
            }
        }
        return cron == null ? null : new Schedule(cron, context);
    }

    /** The {@code event} field of {@code node}: one of the events a workflow can be started or woken by. */
    public static String knownEvent(Place at, JsonNode node) {
        String event = requiredString(at, node, "event");
        if (event != null && !Trigger.EVENTS.contains(event)) {
            at.error("event", "unknown event '" + event + "' (known events: " + sorted(Trigger.EVENTS) + ")");
            return null;
        }
        return event;
    }
}
