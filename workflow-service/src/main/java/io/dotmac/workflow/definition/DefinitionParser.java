package io.dotmac.workflow.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dotmac.workflow.expression.CompiledExpression;
import io.dotmac.workflow.expression.ContextPath;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.expression.ExpressionException;
import io.dotmac.workflow.expression.Templates;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a workflow definition from its JSON and checks it completely, so that a definition that
 * cannot run is rejected when it is stored rather than halfway through an execution: unknown
 * fields (typos), unknown step types, services, methods and parameters, expressions that do not
 * compile, and {@code ${...}} references that neither the trigger's inputs nor an earlier step can
 * provide. Every problem is collected before failing, so an author fixes a definition in one round
 * trip instead of one error at a time.
 *
 * <p>Thread-safe: the state of a parse lives in that call.
 */
public final class DefinitionParser {

    private static final Pattern WORKFLOW_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,99}");
    // Each part fits an int: versions are compared by their numbers in SQL.
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}");
    /** Enough for any business process; bounds the work of one definition. */
    private static final int MAX_STEPS = 200;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String IDENTIFIER_RULE = "lower-case letters, digits and '_', starting with a letter";
    private static final int MAX_STEP_NAME_LENGTH = 100;
    /** One year: longer than any wait a workflow should have, short enough to catch a unit mistake. */
    private static final long MAX_SECONDS = 31_536_000L;
    private static final long MAX_ATTEMPTS = 20;
    private static final BigDecimal DEFAULT_BACKOFF_SECONDS = BigDecimal.ONE;
    private static final BigDecimal DEFAULT_MULTIPLIER = BigDecimal.valueOf(2);
    private static final BigDecimal DEFAULT_MAX_BACKOFF_SECONDS = BigDecimal.valueOf(60);

    private static final List<String> WORKFLOW_FIELDS =
            List.of("name", "version", "description", "inputs", "tags", "triggers", "schedule", "steps");
    private static final Map<StepType, List<String>> STEP_FIELDS = Map.of(
            StepType.SERVICE_CALL, List.of("name", "type", "critical", "when", "service", "method", "params",
                    "result", "timeout_seconds", "retry", "compensate", "await_outcome"),
            StepType.CONDITION, List.of("name", "type", "critical", "when", "condition", "timeout_seconds",
                    "refresh", "wake_on", "error", "compensate"),
            StepType.TRANSFORM, List.of("name", "type", "critical", "when", "set", "compensate"));
    private static final Set<String> ANY_STEP_FIELD =
            STEP_FIELDS.values().stream().flatMap(List::stream).collect(Collectors.toSet());
    private static final List<String> RETRY_FIELDS =
            List.of("max_attempts", "backoff_seconds", "multiplier", "max_backoff_seconds");
    private static final List<String> REFRESH_FIELDS = List.of("service", "method", "params", "result");
    private static final List<String> COMPENSATE_FIELDS = List.of("service", "method", "params", "retry");
    private static final List<String> WAKE_ON_FIELDS = List.of("event", "key");
    private static final List<String> TRIGGER_FIELDS = List.of("event", "context", "unless_running");
    private static final List<String> UNLESS_RUNNING_FIELDS = List.of("workflow", "key");
    private static final List<String> SCHEDULE_FIELDS = List.of("cron", "context");
    /** What a definition that names no version is: the guide's workflows name theirs, ours too. */
    private static final String DEFAULT_VERSION = "1.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KNOWN_TYPES =
            Arrays.stream(StepType.values()).map(StepType::wireName).collect(Collectors.joining(", "));

    private final ServiceCatalog catalog;
    private final ExpressionEngine expressions;

    public DefinitionParser(ServiceCatalog catalog, ExpressionEngine expressions) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.expressions = Objects.requireNonNull(expressions, "expressions");
    }

    /**
     * {@code definition} as JSON with everything this parser filled in written out, for storing:
     * parsing it again gives the same definition ({@link DefinitionWriter}).
     */
    public Map<String, Object> filledIn(WorkflowDefinition definition) {
        return new DefinitionWriter(catalog).write(definition);
    }

    /**
     * The definition in {@code json}, validated.
     *
     * @throws InvalidDefinitionException listing every problem found, workflow-level ones first,
     *                                    then step by step in order
     */
    public WorkflowDefinition parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidDefinitionException(List.of(new ValidationError(null, "definition",
                    "must be a JSON object (got " + (json == null ? "nothing" : describe(json)) + ")")));
        }
        Problems problems = new Problems();
        Place workflow = new Place(problems, -1, null, "");
        unknownFields(workflow, json, WORKFLOW_FIELDS, null);
        String name = workflowName(workflow, json);
        String version = version(workflow, json.get("version"));
        String description = optionalString(workflow, json, "description");
        List<String> declaredInputs = present(json.get("inputs")) ? inputs(workflow, json.get("inputs")) : null;
        List<String> tags = tags(workflow, json.get("tags"));
        List<StepDraft> steps = steps(workflow, json.get("steps"));
        inferRefreshes(steps);
        List<String> inputs = declaredInputs != null ? declaredInputs : inferredInputs(steps);
        List<Trigger> triggers = triggers(workflow, json.get("triggers"), inputs);
        Schedule schedule = schedule(workflow, json.get("schedule"), inputs);
        checkReferences(inputs, steps);
        problems.throwIfAny();
        return new WorkflowDefinition(name, version, description, inputs,
                steps.stream().map(StepDraft::build).toList(), tags, triggers, schedule);
    }

    // ---- workflow level

    private static String workflowName(Place at, JsonNode json) {
        String name = requiredString(at, json, "name");
        if (name != null && !WORKFLOW_NAME.matcher(name).matches()) {
            at.error("name", "must be lower-case letters, digits, '_', '.' or '-', starting with a letter, "
                    + "at most 100 characters (got '" + name + "')");
        }
        return name;
    }

    private static String version(Place at, JsonNode node) {
        if (!present(node)) {
            return DEFAULT_VERSION;
        }
        if (node.isNumber()) {
            // A bare 1.0 is the most likely mistake; as a number it would also lose "1.10" vs "1.1".
            at.error("version", "must be a string such as \"1.0.0\", not the number " + node + "; quote it");
            return null;
        }
        if (!node.isTextual()) {
            at.error("version", "must be a string such as \"1.0.0\" (got " + describe(node) + ")");
            return null;
        }
        String version = node.textValue();
        if (!VERSION.matcher(version).matches()) {
            at.error("version", "must be MAJOR.MINOR.PATCH, e.g. \"1.0.0\" (got \"" + version + "\")");
        }
        return version;
    }

    private static List<String> inputs(Place at, JsonNode node) {
        List<String> inputs = new ArrayList<>();
        if (!present(node)) {
            return inputs;
        }
        if (!node.isArray()) {
            at.error("inputs", "must be a list of input names (got " + describe(node) + ")");
            return inputs;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String field = "inputs[" + i + "]";
            if (!item.isTextual() || !IDENTIFIER.matcher(item.textValue()).matches()) {
                at.error(field, "must be an identifier: " + IDENTIFIER_RULE + " (got " + describe(item) + ")");
            } else if (inputs.contains(item.textValue())) {
                at.error(field, "duplicate input '" + item.textValue() + "'");
            } else {
                inputs.add(item.textValue());
            }
        }
        return inputs;
    }

    private static List<String> tags(Place at, JsonNode node) {
        List<String> tags = new ArrayList<>();
        if (!present(node)) {
            return tags;
        }
        if (!node.isArray()) {
            at.error("tags", "must be a list of strings (got " + describe(node) + ")");
            return tags;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (item.isTextual()) {
                tags.add(item.textValue());
            } else {
                at.error("tags[" + i + "]", "must be a string (got " + describe(item) + ")");
            }
        }
        return tags;
    }

    /** Each trigger names a known event and builds every input from the event's data and envelope. */
    private static List<Trigger> triggers(Place at, JsonNode node, List<String> inputs) {
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
            unknownFields(in, item, TRIGGER_FIELDS, null);
            String event = knownEvent(in, item);
            JsonNode contextNode = item.get("context");
            if (!present(contextNode) || !contextNode.isObject()) {
                in.error("context", "required: an object mapping each input to the event, e.g. {\"quote_id\": \"${data.quote_id}\"}");
                continue;
            }
            Map<String, Object> context = toJavaMap(contextNode);
            List<Reference> references = new ArrayList<>();
            templateReferences(in, "context", context, references);
            for (Reference ref : references) {
                if (!Trigger.ROOTS.contains(ref.root())) {
                    in.error(ref.field(), ref.template() + " — a trigger reads the event: ${data.…} or ${event.id|key|tenant|source|type}");
                }
            }
            for (String input : inputs) {
                if (!context.containsKey(input)) {
                    in.error("context." + input, "input '" + input + "' is not set from the event");
                }
            }
            Trigger.UnlessRunning unlessRunning = unlessRunning(in, item.get("unless_running"));
            if (event != null) {
                triggers.add(new Trigger(event, context, unlessRunning));
            }
        }
        return triggers;
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
        unknownFields(in, node, UNLESS_RUNNING_FIELDS, null);
        JsonNode workflow = node.get("workflow");
        JsonNode key = node.get("key");
        boolean valid = true;
        if (!present(workflow) || !workflow.isTextual() || !WORKFLOW_NAME.matcher(workflow.textValue()).matches()) {
            in.error("workflow", "required: the name of the workflow whose running execution takes the event's place");
            valid = false;
        }
        if (!present(key) || !key.isTextual() || !key.textValue().contains("${")) {
            in.error("key", "required: the business key that execution carries, read from the event, e.g. \"${data.quote_id}\"");
            return null;
        }
        List<Reference> references = new ArrayList<>();
        templateReferences(in, "key", key.textValue(), references);
        for (Reference ref : references) {
            if (!Trigger.ROOTS.contains(ref.root())) {
                in.error(ref.field(), ref.template() + " — the key reads the event: ${data.…} or ${event.id|key|tenant|source|type}");
                valid = false;
            }
        }
        return valid ? new Trigger.UnlessRunning(workflow.textValue(), key.textValue()) : null;
    }

    /** A cron the Quartz parser accepts, and a context that sets every input (it may read ${schedule.due_at}). */
    private static Schedule schedule(Place at, JsonNode node, List<String> inputs) {
        if (!present(node)) {
            return null;
        }
        if (!node.isObject()) {
            at.error("schedule", "must be an object with cron and context (got " + describe(node) + ")");
            return null;
        }
        Place in = at.within("schedule");
        unknownFields(in, node, SCHEDULE_FIELDS, null);
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
        templateReferences(in, "context", context, references);
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

    private static String knownEvent(Place at, JsonNode node) {
        String event = requiredString(at, node, "event");
        if (event != null && !Trigger.EVENTS.contains(event)) {
            at.error("event", "unknown event '" + event + "' (known events: " + sorted(Trigger.EVENTS) + ")");
            return null;
        }
        return event;
    }

    private List<StepDraft> steps(Place workflow, JsonNode node) {
        if (!present(node)) {
            workflow.error("steps", "required: a list of at least one step");
            return List.of();
        }
        if (!node.isArray()) {
            workflow.error("steps", "must be a list of steps (got " + describe(node) + ")");
            return List.of();
        }
        if (node.isEmpty()) {
            workflow.error("steps", "must contain at least one step");
            return List.of();
        }
        if (node.size() > MAX_STEPS) {
            workflow.error("steps", "has " + node.size() + " steps; at most " + MAX_STEPS + " are allowed");
            return List.of();
        }
        Map<String, Integer> indexByName = new HashMap<>();
        List<StepDraft> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            StepDraft step = step(workflow.problems(), i, node.get(i), indexByName);
            steps.add(step);
            for (JsonNode awaiting : awaitSteps(step, node, indexByName)) {
                steps.add(step(workflow.problems(), i, awaiting, indexByName));
            }
        }
        return steps;
    }

    /**
     * The steps that wait for the outcome of {@code step}'s call, when its operation's outcome
     * comes later and the step does not wait for it itself ({@link Conventions#awaitSteps()}): they
     * run only when the step ran, and are as critical as it is.
     */
    private static List<JsonNode> awaitSteps(StepDraft step, JsonNode definitionSteps, Map<String, Integer> taken) {
        if (step.awaitSteps == null) {
            return List.of();
        }
        JsonNode template;
        try {
            template = JSON.readTree(step.awaitSteps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the service catalog's steps after " + step.label + " are not JSON", e);
        }
        Set<String> added = new LinkedHashSet<>();
        template.forEach(awaiting -> added.add(awaiting.path("name").asText()));
        for (String name : added) {
            if (taken.containsKey(name)) {
                // Another step's added ones, most likely: two payments need two results.
                step.at.error("await_outcome", "the steps that wait for this call's outcome (" + String.join(", ", added)
                        + ") would take the name of an earlier one; give this step another \"result\"");
                return List.of();
            }
        }
        for (int i = 0; i < definitionSteps.size(); i++) {
            String name = definitionSteps.get(i).path("name").asText(null);
            if (added.contains(name)) {
                // A definition that already waits for the outcome, under the same names, most likely.
                step.at.error("await_outcome", "the steps that wait for this call's outcome (" + String.join(", ", added)
                        + ") would take the name of steps[" + i + "]; set \"await_outcome\": false if the workflow waits"
                        + " for it itself, or rename that step");
                return List.of();
            }
        }
        List<JsonNode> steps = new ArrayList<>();
        for (JsonNode awaiting : template) {
            ObjectNode copy = (ObjectNode) awaiting;
            if (!copy.has("critical")) {
                copy.put("critical", step.critical);
            }
            if (step.when != null) {
                JsonNode own = copy.get("when");
                // On lines of their own: a line comment at the end of the step's guard must not swallow the rest.
                copy.put("when", own == null ? step.when : "(" + step.when + "\n) && (" + own.textValue() + "\n)");
            }
            steps.add(copy);
        }
        return steps;
    }

    // ---- steps

    private StepDraft step(Problems problems, int index, JsonNode node, Map<String, Integer> indexByName) {
        String position = "steps[" + index + "]";
        if (!node.isObject()) {
            Place at = new Place(problems, index, null, "");
            at.error(position, "must be an object (got " + describe(node) + ")");
            return new StepDraft(at, position);
        }
        JsonNode nameNode = node.get("name");
        boolean named = nameNode != null && nameNode.isTextual() && !nameNode.textValue().isBlank();
        // A step without a usable name is located by its position instead.
        StepDraft step = named
                ? new StepDraft(new Place(problems, index, nameNode.textValue(), ""), nameNode.textValue())
                : new StepDraft(new Place(problems, index, null, position + "."), position);
        Place at = step.at;
        step.name = stepName(at, nameNode, index, indexByName);
        step.type = stepType(at, node.get("type"));
        step.critical = optionalBoolean(at, node, "critical", true);
        step.when = expression(at, node, "when", step.references, false);
        if (step.type == null) {
            // Without a type the allowed fields are unknown; reporting them all would only add noise.
            return step;
        }
        unknownFields(at, node, STEP_FIELDS.get(step.type), step.type);
        switch (step.type) {
            case SERVICE_CALL -> serviceCallStep(step, node);
            case CONDITION -> conditionStep(step, node);
            case TRANSFORM -> transformStep(step, node);
        }
        compensation(step, node.get("compensate"));
        return step;
    }

    /** The step's {@code compensate}: a state-changing call, whose parameters may read the step's own result. */
    private void compensation(StepDraft step, JsonNode node) {
        if (!present(node)) {
            return;
        }
        Place at = step.at;
        if (!node.isObject()) {
            at.error("compensate", "must be an object with service, method and params (got " + describe(node) + ")");
            return;
        }
        Place in = at.within("compensate");
        unknownFields(in, node, COMPENSATE_FIELDS, null);
        int before = in.problems().size();
        ServiceCall call = call(in, node, StepDefinition.UNDO_PREFIX + step.name, false, step.compensateReferences);
        if (call != null && !catalog.operation(call.service(), call.method()).map(OperationSpec::mutating).orElse(true)) {
            in.error("method", call.service() + "." + call.method() + " changes nothing, so it cannot undo a step; use a "
                    + "method that changes state");
        }
        RetryPolicy retry = retry(in, node.get("retry"));
        step.compensate = call != null && in.problems().size() == before ? new Compensation(call, retry) : null;
    }

    private static String stepName(Place at, JsonNode node, int index, Map<String, Integer> indexByName) {
        if (!present(node)) {
            at.error("name", "required: " + IDENTIFIER_RULE);
            return null;
        }
        if (!node.isTextual()) {
            at.error("name", "must be a string (got " + describe(node) + ")");
            return null;
        }
        String name = node.textValue();
        if (!IDENTIFIER.matcher(name).matches() || name.length() > MAX_STEP_NAME_LENGTH) {
            at.error("name", "must be " + IDENTIFIER_RULE + ", at most " + MAX_STEP_NAME_LENGTH
                    + " characters (got '" + name + "')");
        }
        if (name.startsWith(StepDefinition.UNDO_PREFIX)) {
            at.error("name", "must not start with '" + StepDefinition.UNDO_PREFIX + "': the engine names a step's undo so");
        }
        Integer first = indexByName.putIfAbsent(name, index);
        if (first != null) {
            at.error("name", "duplicate step name: steps[" + first + "] is already called '" + name + "'");
        }
        return name;
    }

    private static StepType stepType(Place at, JsonNode node) {
        if (!present(node)) {
            at.error("type", "required, one of: " + KNOWN_TYPES);
            return null;
        }
        if (!node.isTextual()) {
            at.error("type", "must be a string, one of: " + KNOWN_TYPES + " (got " + describe(node) + ")");
            return null;
        }
        return StepType.fromWire(node.textValue()).orElseGet(() -> {
            at.error("type", "unknown step type '" + node.textValue() + "' (known types: " + KNOWN_TYPES + ")");
            return null;
        });
    }

    private void serviceCallStep(StepDraft step, JsonNode node) {
        // Without a result, the key is the one its operation names (qualify_lead → lead), else the step's name.
        Conventions conventions = knownOperation(node).map(OperationSpec::conventions).orElse(Conventions.NONE);
        String result = resultKey(step.at, node, conventions.result() != null ? conventions.result() : step.name);
        if (result != null) {
            step.provides.add(result);
        }
        step.kind = conventions.result();
        step.call = call(step.at, node, result, false, step.references);
        step.timeout = timeout(step.at, node);
        step.retry = retry(step.at, node.get("retry"));
        boolean awaitOutcome = optionalBoolean(step.at, node, "await_outcome", true);
        if (present(node.get("await_outcome")) && conventions.awaitSteps() == null) {
            step.at.error("await_outcome", "only a call whose outcome comes later (such as billing_service.process_payment) "
                    + "has an outcome to wait for");
        } else if (awaitOutcome && conventions.awaitSteps() != null && result != null && IDENTIFIER.matcher(result).matches()) {
            // Only an identifier goes into the added steps' JSON (any other result is refused above).
            step.awaitSteps = conventions.awaitSteps().replace(Conventions.RESULT, result);
        }
    }

    /** The operation {@code node} names, if it is a known one; problems are reported where it is read. */
    private Optional<OperationSpec> knownOperation(JsonNode node) {
        JsonNode service = node.get("service");
        JsonNode method = node.get("method");
        return service != null && service.isTextual() && method != null && method.isTextual()
                ? catalog.operation(service.textValue(), method.textValue())
                : Optional.empty();
    }

    private void conditionStep(StepDraft step, JsonNode node) {
        Place at = step.at;
        if (!present(node.get("condition"))) {
            at.error("condition", "required: an expression such as quote.status == 'accepted'");
        }
        step.condition = expression(at, node, "condition", step.references, true);
        step.timeout = timeout(at, node);
        JsonNode refresh = node.get("refresh");
        if (present(refresh) && !refresh.isObject()) {
            at.error("refresh", "must be an object with service, method, params and result (got "
                    + describe(refresh) + ")");
        } else if (present(refresh)) {
            Place in = at.within("refresh");
            unknownFields(in, refresh, REFRESH_FIELDS, null);
            step.refreshResult = resultKey(in, refresh, null);
            if (step.refreshResult != null) {
                step.provides.add(step.refreshResult);
            }
            step.refresh = call(in, refresh, step.refreshResult, true, step.references);
        }
        JsonNode wakeOn = node.get("wake_on");
        if (present(wakeOn) && !wakeOn.isObject()) {
            at.error("wake_on", "must be an object with event and key (got " + describe(wakeOn) + ")");
        } else if (present(wakeOn)) {
            Place in = at.within("wake_on");
            unknownFields(in, wakeOn, WAKE_ON_FIELDS, null);
            String event = knownEvent(in, wakeOn);
            String key = requiredString(in, wakeOn, "key");
            if (key != null) {
                templateReferences(at, "wake_on.key", key, step.references);
            }
            step.wakeOn = event != null && key != null ? new WakeOn(event, key) : null;
        }
        JsonNode error = node.get("error");
        if (present(error) && (!error.isTextual() || error.textValue().isBlank())) {
            at.error("error", "must be a text, e.g. \"payment not received: ${payment.failure_message}\" (got "
                    + describe(error) + ")");
        } else if (present(error)) {
            step.error = error.textValue();
            try {
                // Like the condition, it sees what its own refresh fetched.
                for (ContextPath ref : Templates.references(step.error)) {
                    step.references.add(new Reference(at, "error", "${" + ref.text() + "}", ref.root(), true));
                }
            } catch (IllegalArgumentException e) {
                at.error("error", e.getMessage());
            }
        }
    }

    private static void transformStep(StepDraft step, JsonNode node) {
        Place at = step.at;
        JsonNode set = node.get("set");
        if (!present(set)) {
            at.error("set", "required: an object of context key → value template");
            return;
        }
        if (!set.isObject()) {
            at.error("set", "must be an object of context key → value template (got " + describe(set) + ")");
            return;
        }
        if (set.isEmpty()) {
            at.error("set", "must set at least one key");
            return;
        }
        Map<String, Object> values = toJavaMap(set);
        for (String key : values.keySet()) {
            if (!IDENTIFIER.matcher(key).matches()) {
                at.error("set." + key, "key must be an identifier: " + IDENTIFIER_RULE);
            }
            step.provides.add(key);
        }
        // Against what is available before the step: the keys of one transform do not see each other.
        templateReferences(at, "set", values, step.references);
        step.set = values;
    }

    // ---- service calls

    /**
     * The call in {@code node} (a service_call step or a refresh), or null if it has problems; its
     * parameters' references are added to {@code references}.
     */
    private ServiceCall call(Place at, JsonNode node, String resultKey, boolean readOnly,
            List<Reference> references) {
        int before = at.problems().size();
        String service = requiredString(at, node, "service");
        String method = requiredString(at, node, "method");
        OperationSpec operation = operation(at, service, method);
        if (readOnly && operation != null && operation.mutating()) {
            at.error("method", service + "." + method + " changes state, but a refresh is re-sent before every "
                    + "re-evaluation; use a read-only method");
        }
        Map<String, Object> params = params(at, node.get("params"), operation, references);
        return at.problems().size() == before && resultKey != null
                ? new ServiceCall(service, method, params, resultKey)
                : null;
    }

    private OperationSpec operation(Place at, String service, String method) {
        if (service == null) {
            return null;
        }
        if (!catalog.services().contains(service)) {
            at.error("service", "unknown service '" + service + "' (known services: " + sorted(catalog.services())
                    + ")");
            return null;
        }
        if (method == null) {
            return null;
        }
        return catalog.operation(service, method).orElseGet(() -> {
            at.error("method", "unknown method '" + method + "' of service '" + service + "' (known methods: "
                    + sorted(catalog.methods(service)) + ")");
            return null;
        });
    }

    private static Map<String, Object> params(Place at, JsonNode node, OperationSpec operation,
            List<Reference> references) {
        Map<String, Object> params;
        if (!present(node)) {
            params = new LinkedHashMap<>();
        } else if (node.isObject()) {
            params = toJavaMap(node);
        } else {
            at.error("params", "must be an object of parameter → value (got " + describe(node) + ")");
            return null;
        }
        templateReferences(at, "params", params, references);
        if (operation != null) {
            String operationName = operation.service() + "." + operation.method();
            for (String param : params.keySet()) {
                if (!operation.accepts(param)) {
                    Set<String> allowed = new TreeSet<>(operation.requiredParams());
                    allowed.addAll(operation.optionalParams());
                    at.error("params." + param, "unknown parameter of " + operationName + " (allowed: "
                            + sorted(allowed) + ")");
                }
            }
            for (String required : new TreeSet<>(operation.requiredParams())) {
                String fallback = operation.conventions().defaults().get(required);
                if (!params.containsKey(required) && fallback != null) {
                    params.put(required, fallback);
                    templateReferences(at, "params." + required, fallback, references);
                } else if (!params.containsKey(required)) {
                    at.error("params." + required, "required by " + operationName + " but missing");
                }
            }
        }
        return params;
    }

    /** The {@code result} key; {@code fallback} when absent, and required when there is none. */
    private static String resultKey(Place at, JsonNode node, String fallback) {
        JsonNode result = node.get("result");
        if (!present(result)) {
            if (fallback == null) {
                at.error("result", "required: the context key the refreshed value is stored under");
            }
            return fallback;
        }
        if (!result.isTextual()) {
            at.error("result", "must be a string (got " + describe(result) + ")");
            return fallback;
        }
        String key = result.textValue();
        if (!IDENTIFIER.matcher(key).matches()) {
            at.error("result", "must be an identifier: " + IDENTIFIER_RULE + " (got '" + key + "')");
        }
        return key;
    }

    // ---- timeouts and retries

    private static Duration timeout(Place at, JsonNode node) {
        Long seconds = wholeNumber(at, node, "timeout_seconds", 1, MAX_SECONDS);
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    private static RetryPolicy retry(Place at, JsonNode node) {
        if (!present(node)) {
            return null;
        }
        if (!node.isObject()) {
            at.error("retry", "must be an object with max_attempts and optionally backoff_seconds, multiplier, "
                    + "max_backoff_seconds (got " + describe(node) + ")");
            return null;
        }
        Place in = at.within("retry");
        int before = in.problems().size();
        unknownFields(in, node, RETRY_FIELDS, null);
        if (!present(node.get("max_attempts"))) {
            in.error("max_attempts", "required: a whole number between 1 and " + MAX_ATTEMPTS);
        }
        Long attempts = wholeNumber(in, node, "max_attempts", 1, MAX_ATTEMPTS);
        BigDecimal backoff = decimal(in, node, "backoff_seconds", BigDecimal.ZERO, DEFAULT_BACKOFF_SECONDS);
        BigDecimal multiplier = decimal(in, node, "multiplier", BigDecimal.ONE, DEFAULT_MULTIPLIER);
        // The default ceiling rises with a long initial backoff rather than contradicting it.
        BigDecimal maxBackoff = decimal(in, node, "max_backoff_seconds", BigDecimal.ZERO,
                backoff == null ? DEFAULT_MAX_BACKOFF_SECONDS : backoff.max(DEFAULT_MAX_BACKOFF_SECONDS));
        if (backoff != null && maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
            in.error("max_backoff_seconds", "must be at least backoff_seconds (" + backoff.toPlainString() + ")");
        }
        if (in.problems().size() != before) {
            return null;
        }
        return new RetryPolicy(attempts.intValue(), seconds(backoff), multiplier.doubleValue(), seconds(maxBackoff));
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** An optional whole number in [min, max]; null when absent or wrong (the problem is recorded). */
    private static Long wholeNumber(Place at, JsonNode parent, String field, long min, long max) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            at.error(field, "must be a whole number (got " + describe(node) + ")");
            return null;
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            at.error(field, "must be between " + min + " and " + max + " (got " + node + ")");
            return null;
        }
        return node.longValue();
    }

    /**
     * An optional number of at least {@code min} and at most a year's seconds (the bound for the
     * durations, and far above any sensible multiplier): {@code fallback} when absent, null when
     * wrong (the problem is recorded).
     */
    private static BigDecimal decimal(Place at, JsonNode parent, String field, BigDecimal min, BigDecimal fallback) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return fallback;
        }
        if (!node.isNumber()) {
            at.error(field, "must be a number (got " + describe(node) + ")");
            return null;
        }
        BigDecimal value = node.decimalValue();
        // Finer than a nanosecond is no duration: such digits go before any arithmetic (rounding
        // 1E-2147483647 would overflow, or take minutes). Its digits are few, so the rounding is cheap.
        if (value.precision() - (long) value.scale() < -9) {
            value = BigDecimal.ZERO;
        } else if (value.scale() > 9) {
            value = value.setScale(9, RoundingMode.HALF_UP);
        }
        if (value.compareTo(min) < 0 || value.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            at.error(field, "must be between " + min.toPlainString() + " and " + MAX_SECONDS + " (got " + node + ")");
            return null;
        }
        return value;
    }

    // ---- expressions and templates

    /** The expression source in {@code field} if present; its root variables join {@code references}. */
    private String expression(Place at, JsonNode parent, String field, List<Reference> references,
            boolean seesOwnRefresh) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual()) {
            at.error(field, "must be an expression string (got " + describe(node) + ")");
            return null;
        }
        String source = node.textValue();
        if (source.isBlank()) {
            at.error(field, "must not be empty");
            return source;
        }
        try {
            CompiledExpression compiled = expressions.compile(source);
            for (String root : new TreeSet<>(compiled.roots())) {
                references.add(new Reference(at, field, null, root, seesOwnRefresh));
            }
        } catch (ExpressionException e) {
            // The message quotes the expression and says what is wrong with it.
            at.error(field, e.getMessage());
        }
        return source;
    }

    /** Adds the {@code ${path}} references of every string in {@code value}, each located by its path. */
    private static void templateReferences(Place at, String path, Object value, List<Reference> references) {
        if (value instanceof String text) {
            try {
                for (ContextPath ref : Templates.references(text)) {
                    references.add(new Reference(at, path, "${" + ref.text() + "}", ref.root(), false));
                }
            } catch (IllegalArgumentException e) {
                // The message quotes the template and says what is wrong with it.
                at.error(path, e.getMessage());
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> templateReferences(at, path + "." + key, item, references));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                templateReferences(at, path + "[" + i + "]", list.get(i), references);
            }
        }
    }

    /**
     * A waiting condition with no {@code refresh} over data a service call returned ({@code quote}
     * from {@code generate_quote}) refetches that data with the reader of its kind
     * ({@code get_quote}) and, unless it names its own {@code wake_on}, is woken by the event that
     * says such data changed: otherwise nothing could ever make it true before its timeout.
     */
    private void inferRefreshes(List<StepDraft> steps) {
        for (int i = 0; i < steps.size(); i++) {
            StepDraft step = steps.get(i);
            if (step.type != StepType.CONDITION || step.timeout == null || step.refresh != null || step.condition == null) {
                continue;
            }
            List<ServiceCall> refreshes = new ArrayList<>();
            for (String root : step.references.stream().filter(ref -> ref.field().equals("condition"))
                    .map(Reference::root).collect(Collectors.toCollection(TreeSet::new))) {
                StepDraft provider = lastProvider(steps, i, root);
                if (provider != null && provider.kind != null && provider.call != null
                        && root.equals(provider.call.resultKey())) {
                    catalog.reader(provider.kind).ifPresent(reader -> refreshes.add(new ServiceCall(reader.service(),
                            reader.method(), Map.of(provider.kind + "_id", "${" + root + ".id}"), root)));
                }
            }
            if (refreshes.size() != 1) {
                continue;
            }
            ServiceCall refresh = refreshes.get(0);
            step.refresh = refresh;
            step.refreshResult = refresh.resultKey();
            step.provides.add(refresh.resultKey());
            templateReferences(step.at, "refresh.params", refresh.params(), step.references);
            WakeOn changedBy = catalog.operation(refresh.service(), refresh.method())
                    .map(reader -> reader.conventions().changedBy()).orElse(null);
            if (step.wakeOn == null && changedBy != null) {
                step.wakeOn = new WakeOn(changedBy.event(), changedBy.key().replace(Conventions.RESULT, refresh.resultKey()));
                templateReferences(step.at, "wake_on.key", step.wakeOn.key(), step.references);
            }
        }
    }

    private static StepDraft lastProvider(List<StepDraft> steps, int before, String key) {
        for (int j = before - 1; j >= 0; j--) {
            if (steps.get(j).provides.contains(key)) {
                return steps.get(j);
            }
        }
        return null;
    }

    /**
     * The inputs of a definition that lists none, as the guide's do: every key read before any
     * step provides it and that no step provides at all (one a later step provides stays an error).
     */
    private static List<String> inferredInputs(List<StepDraft> steps) {
        Set<String> provided = steps.stream().flatMap(step -> step.provides.stream()).collect(Collectors.toSet());
        Set<String> inputs = new LinkedHashSet<>();
        for (StepDraft step : steps) {
            Stream.concat(step.references.stream(), step.compensateReferences.stream()).map(Reference::root)
                    .filter(root -> !provided.contains(root)).forEach(inputs::add);
        }
        return new ArrayList<>(inputs);
    }

    /**
     * Walks the steps in order, growing the set of context keys that exist at each step, and reports
     * every reference whose root is not among them.
     */
    private static void checkReferences(List<String> inputs, List<StepDraft> steps) {
        Set<String> available = new LinkedHashSet<>(inputs);
        for (int i = 0; i < steps.size(); i++) {
            StepDraft step = steps.get(i);
            for (Reference ref : step.references) {
                // A condition is evaluated after its refresh has stored a fresh result.
                boolean ownRefresh = ref.seesOwnRefresh() && ref.root().equals(step.refreshResult);
                if (!ownRefresh && !available.contains(ref.root())) {
                    ref.at().error(ref.field(), unresolved(ref, available, steps, i));
                }
            }
            available.addAll(step.provides);
            // A compensation runs only once its step completed: it sees what the step provided.
            for (Reference ref : step.compensateReferences) {
                if (!available.contains(ref.root())) {
                    ref.at().error(ref.field(), unresolved(ref, available, steps, i));
                }
            }
        }
    }

    private static String unresolved(Reference ref, Set<String> available, List<StepDraft> steps, int index) {
        StringBuilder message = new StringBuilder();
        if (ref.template() != null) {
            message.append(ref.template()).append(" — ");
        }
        message.append('\'').append(ref.root()).append("' is not an input and no earlier step provides it (available: ")
                .append(available.isEmpty() ? "none" : String.join(", ", available)).append(')');
        for (int j = index; j < steps.size(); j++) {
            if (steps.get(j).provides.contains(ref.root())) {
                message.append(j == index
                        ? "; it is the result of this step itself"
                        : "; step '" + steps.get(j).label + "' provides it, but runs later");
                break;
            }
        }
        return message.toString();
    }

    // ---- JSON helpers

    /** The plain Java tree the engine works with; decimals stay BigDecimal so amounts keep their digits. */
    private static Map<String, Object> toJavaMap(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            map.put(field.getKey(), toJava(field.getValue()));
        }
        return map;
    }

    private static Object toJava(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> toJavaMap(node);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(item -> list.add(toJava(item)));
                yield list;
            }
            case STRING -> node.textValue();
            case NUMBER -> number(node);
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            // Binary and POJO nodes only come from code building trees by hand, never from JSON text.
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        };
    }

    private static Object number(JsonNode node) {
        if (!node.isIntegralNumber()) {
            return node.decimalValue();
        }
        if (node.canConvertToInt()) {
            return node.intValue();
        }
        return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static String requiredString(Place at, JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        if (!present(value)) {
            at.error(field, "required");
            return null;
        }
        if (!value.isTextual()) {
            at.error(field, "must be a string (got " + describe(value) + ")");
            return null;
        }
        return value.textValue();
    }

    private static String optionalString(Place at, JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return null;
        }
        if (!node.isTextual()) {
            at.error(field, "must be a string (got " + describe(node) + ")");
            return null;
        }
        return node.textValue();
    }

    private static boolean optionalBoolean(Place at, JsonNode parent, String field, boolean fallback) {
        JsonNode node = parent.get(field);
        if (!present(node)) {
            return fallback;
        }
        if (!node.isBoolean()) {
            at.error(field, "must be true or false (got " + describe(node) + ")");
            return fallback;
        }
        return node.booleanValue();
    }

    /**
     * Reports each field of {@code node} not in {@code allowed}. On a step ({@code stepType} set), a
     * field that belongs to another step type is said to be misplaced rather than unknown.
     */
    private static void unknownFields(Place at, JsonNode node, List<String> allowed, StepType stepType) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!allowed.contains(name)) {
                String what = stepType != null && ANY_STEP_FIELD.contains(name)
                        ? "not allowed on a " + stepType.wireName() + " step"
                        : "unknown field";
                at.error(name, what + " (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case STRING -> "\"" + node.textValue() + "\"";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node;
        };
    }

    private static String sorted(Collection<String> names) {
        return names.isEmpty() ? "none" : names.stream().sorted().collect(Collectors.joining(", "));
    }

    // ---- parse state

    /** The problems of one parse, kept in the order workflow-level first, then step by step. */
    private static final class Problems {
        private final List<Problem> found = new ArrayList<>();

        void add(int order, ValidationError error) {
            found.add(new Problem(order, error));
        }

        int size() {
            return found.size();
        }

        void throwIfAny() {
            if (!found.isEmpty()) {
                // Stable: within a step, problems stay in the order they were found.
                found.sort(Comparator.comparingInt(Problem::order));
                throw new InvalidDefinitionException(found.stream().map(Problem::error).toList());
            }
        }
    }

    private record Problem(int order, ValidationError error) {
    }

    /** Where problems of one part of the definition go: its step and the field path prefix inside it. */
    private record Place(Problems problems, int order, String step, String prefix) {

        void error(String field, String message) {
            problems.add(order, new ValidationError(step, prefix + field, message));
        }

        Place within(String field) {
            return new Place(problems, order, step, prefix + field + ".");
        }
    }

    /**
     * A context key read by a template ({@code template} is the {@code ${...}} text) or an
     * expression ({@code template} null), checked once every step is known.
     */
    private record Reference(Place at, String field, String template, String root, boolean seesOwnRefresh) {
    }

    /** One step as read so far: the values found, what it makes available, what it reads. */
    private static final class StepDraft {
        final Place at;
        /** How messages about other steps name this one. */
        final String label;
        final List<Reference> references = new ArrayList<>();
        final List<Reference> compensateReferences = new ArrayList<>();
        final Set<String> provides = new LinkedHashSet<>();
        String refreshResult;
        /** The kind of data the step's call returns ({@link Conventions#result()}); null if unknown. */
        String kind;
        /** The steps to add after this one that wait for its call's outcome, as JSON; null: none. */
        String awaitSteps;
        String name;
        StepType type;
        boolean critical;
        String when;
        ServiceCall call;
        String condition;
        ServiceCall refresh;
        Map<String, Object> set;
        Duration timeout;
        RetryPolicy retry;
        WakeOn wakeOn;
        String error;
        Compensation compensate;

        StepDraft(Place at, String label) {
            this.at = at;
            this.label = label;
        }

        /** Only called once the whole definition is known to be valid. */
        StepDefinition build() {
            return new StepDefinition(name, type, critical, when, call, condition, refresh, set, timeout, retry, wakeOn, error,
                    compensate);
        }
    }
}
