package io.dotmac.workflow.definition;

import static io.dotmac.workflow.definition.JsonFields.IDENTIFIER_RULE;
import static io.dotmac.workflow.definition.JsonFields.describe;
import static io.dotmac.workflow.definition.JsonFields.isIdentifier;
import static io.dotmac.workflow.definition.JsonFields.optionalBoolean;
import static io.dotmac.workflow.definition.JsonFields.optionalString;
import static io.dotmac.workflow.definition.JsonFields.present;
import static io.dotmac.workflow.definition.JsonFields.requiredString;
import static io.dotmac.workflow.definition.JsonFields.unknownFields;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.expression.ExpressionEngine;
import io.dotmac.workflow.steps.StepTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a workflow definition from its JSON and checks it completely, so that a definition that
 * cannot run is rejected when it is stored rather than halfway through an execution: unknown
 * fields (typos), unknown step types, services, methods and parameters, expressions that do not
 * compile, and {@code ${...}} references that neither the trigger's inputs nor an earlier step can
 * provide. Every problem is collected before failing ({@link Problems}), so an author fixes a
 * definition in one round trip instead of one error at a time.
 *
 * <p>This class reads the workflow and what every step has; each step type reads its own fields
 * ({@link StepType}), {@link TriggerReader} the triggers and schedule, {@link References} checks what
 * the steps read. Thread-safe: the state of a parse lives in that call.
 */
public final class DefinitionParser {

    // Each part fits an int: versions are compared by their numbers in SQL.
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}");
    /** Enough for any business process; bounds the work of one definition. */
    private static final int MAX_STEPS = 200;
    private static final int MAX_STEP_NAME_LENGTH = 100;
    private static final List<String> WORKFLOW_FIELDS =
            List.of("name", "version", "description", "inputs", "tags", "triggers", "schedule", "steps");
    private static final List<String> COMPENSATE_FIELDS = List.of("service", "method", "params", "retry");
    private static final Set<String> ANY_STEP_FIELD =
            StepTypes.ALL.stream().flatMap(type -> type.fields().stream()).collect(Collectors.toSet());
    /** What a definition that names no version is: the guide's workflows name theirs, ours too. */
    private static final String DEFAULT_VERSION = "1.0.0";

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
        unknownFields(workflow, json, WORKFLOW_FIELDS);
        String name = workflowName(workflow, json);
        String version = version(workflow, json.get("version"));
        String description = optionalString(workflow, json, "description");
        List<String> declaredInputs = present(json.get("inputs")) ? inputs(workflow, json.get("inputs")) : null;
        List<String> tags = tags(workflow, json.get("tags"));
        List<StepDraft> steps = steps(workflow, json.get("steps"));
        for (int i = 0; i < steps.size(); i++) {
            StepDraft step = steps.get(i);
            if (step.body != null) {
                step.body.inferFrom(step, steps.subList(0, i));
            }
        }
        List<String> inputs = declaredInputs != null ? declaredInputs : References.inferredInputs(steps);
        List<Trigger> triggers = TriggerReader.triggers(workflow, json.get("triggers"), inputs, expressions);
        Schedule schedule = TriggerReader.schedule(workflow, json.get("schedule"), inputs);
        References.check(inputs, steps);
        problems.throwIfAny();
        return new WorkflowDefinition(name, version, description, inputs,
                steps.stream().map(StepDraft::build).toList(), tags, triggers, schedule);
    }

    // ---- workflow level

    private static String workflowName(Place at, JsonNode json) {
        String name = requiredString(at, json, "name");
        if (name != null && !WorkflowDefinition.NAME.matcher(name).matches()) {
            at.error("name", "must be lower-case letters, digits, '_', '.' or '-', starting with a letter, "
                    + "at most 100 characters (got '" + name + "')");
        } else if (name != null && WorkflowDefinition.RESERVED_NAMES.contains(name)) {
            at.error("name", "'" + name + "' is a path of the API (/api/v1/workflows/" + name + "), not a name a workflow may take");
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
        if (!node.isArray()) {
            at.error("inputs", "must be a list of input names (got " + describe(node) + ")");
            return inputs;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String field = "inputs[" + i + "]";
            if (!item.isTextual() || !isIdentifier(item.textValue())) {
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
            // Steps a step adds after itself (those that wait for a payment's outcome) are located at it.
            for (JsonNode added : step.body != null ? step.body.stepsAfter(step, node, indexByName) : List.<JsonNode>of()) {
                steps.add(step(workflow.problems(), i, added, indexByName));
            }
        }
        return steps;
    }

    // ---- what every step has

    private StepDraft step(Problems problems, int index, JsonNode node, Map<String, Integer> indexByName) {
        String position = "steps[" + index + "]";
        if (!node.isObject()) {
            StepDraft step = new StepDraft(new Place(problems, index, null, ""), position, catalog, expressions);
            step.at.error(position, "must be an object (got " + describe(node) + ")");
            return step;
        }
        JsonNode nameNode = node.get("name");
        boolean named = nameNode != null && nameNode.isTextual() && !nameNode.textValue().isBlank();
        // A step without a usable name is located by its position instead.
        StepDraft step = named
                ? new StepDraft(new Place(problems, index, nameNode.textValue(), ""), nameNode.textValue(), catalog, expressions)
                : new StepDraft(new Place(problems, index, null, position + "."), position, catalog, expressions);
        Place at = step.at;
        step.name = stepName(at, nameNode, index, indexByName);
        step.type = stepType(at, node.get("type"));
        step.critical = optionalBoolean(at, node, "critical", true);
        step.when = step.expression(node, "when", false);
        if (step.type == null) {
            // Without a type the allowed fields are unknown; reporting them all would only add noise.
            return step;
        }
        String typeName = step.type.name();
        unknownFields(at, node, step.type.fields(),
                field -> ANY_STEP_FIELD.contains(field) ? "not allowed on a " + typeName + " step" : "unknown field");
        step.body = step.type.read(step, node);
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
        unknownFields(in, node, COMPENSATE_FIELDS);
        int before = in.found();
        ServiceCall call = CallReader.call(catalog, in, node, StepDefinition.UNDO_PREFIX + step.name, false,
                step.compensateReferences);
        if (call != null && !catalog.operation(call.service(), call.method()).map(OperationSpec::mutating).orElse(true)) {
            in.error("method", call.service() + "." + call.method() + " changes nothing, so it cannot undo a step; use a "
                    + "method that changes state");
        }
        RetryPolicy retry = StepDraft.retry(in, node.get("retry"));
        step.compensate = call != null && in.found() == before ? new Compensation(call, retry) : null;
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
        if (!isIdentifier(name) || name.length() > MAX_STEP_NAME_LENGTH) {
            at.error("name", "must be " + IDENTIFIER_RULE + ", at most " + MAX_STEP_NAME_LENGTH + " characters (got '" + name + "')");
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

    private static StepType<?> stepType(Place at, JsonNode node) {
        if (!present(node)) {
            at.error("type", "required, one of: " + StepTypes.names());
            return null;
        }
        if (!node.isTextual()) {
            at.error("type", "must be a string, one of: " + StepTypes.names() + " (got " + describe(node) + ")");
            return null;
        }
        return StepTypes.named(node.textValue()).orElseGet(() -> {
            at.error("type", "unknown step type '" + node.textValue() + "' (known types: " + StepTypes.names() + ")");
            return null;
        });
    }
}
