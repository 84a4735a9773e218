package io.dotmac.workflow.steps.servicecall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dotmac.workflow.definition.Conventions;
import io.dotmac.workflow.definition.DefinitionWriter;
import io.dotmac.workflow.definition.JsonFields;
import io.dotmac.workflow.definition.OperationSpec;
import io.dotmac.workflow.definition.RetryPolicy;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.definition.ServiceCatalog;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepDraft;
import io.dotmac.workflow.definition.StepType;
import io.dotmac.workflow.execution.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes a {@link ServiceCallStep}. Without a {@code result}, the answer's key is the one
 * its operation names ({@code qualify_lead} → {@code lead}), else the step's name. A call whose
 * outcome comes later (a payment) is followed by the steps that wait for it, unless the definition
 * says {@code "await_outcome": false} ({@link Conventions#awaitSteps()}).
 */
public final class ServiceCallType implements StepType<ServiceCallStep> {

    @Override
    public String name() {
        return ServiceCallStep.TYPE;
    }

    @Override
    public Class<ServiceCallStep> steps() {
        return ServiceCallStep.class;
    }

    @Override
    public List<String> fields() {
        return List.of("name", "type", "critical", "when", "service", "method", "params", "result", "timeout_seconds", "retry",
                "compensate", "await_outcome");
    }

    private record Draft(ServiceCall call, Duration timeout, RetryPolicy retry, String kind, String awaitSteps)
            implements StepDraft.Body {

        @Override
        public StepDefinition build(StepDraft step) {
            return new ServiceCallStep(step.name(), step.critical(), step.when(), call, timeout, retry, step.compensate());
        }

        @Override
        public Optional<String> kindStoredAs(String key) {
            return call != null && key.equals(call.resultKey()) ? Optional.ofNullable(kind) : Optional.empty();
        }

        @Override
        public List<JsonNode> stepsAfter(StepDraft step, JsonNode definitionSteps, Map<String, Integer> taken) {
            return awaitSteps == null ? List.of() : awaiting(step, awaitSteps, definitionSteps, taken);
        }
    }

    @Override
    public StepDraft.Body read(StepDraft step, JsonNode node) {
        Conventions conventions = knownOperation(step.catalog(), node).map(OperationSpec::conventions).orElse(Conventions.NONE);
        String result = step.resultKey(step.at(), node, conventions.result() != null ? conventions.result() : step.name());
        if (result != null) {
            step.provides(result);
        }
        ServiceCall call = step.call(step.at(), node, result, false);
        Duration timeout = step.timeout(node);
        RetryPolicy retry = StepDraft.retry(step.at(), node.get("retry"));
        boolean awaitOutcome = JsonFields.optionalBoolean(step.at(), node, "await_outcome", true);
        String awaitSteps = null;
        if (JsonFields.present(node.get("await_outcome")) && conventions.awaitSteps() == null) {
            step.at().error("await_outcome", "only a call whose outcome comes later (such as billing_service.process_payment) "
                    + "has an outcome to wait for");
        } else if (awaitOutcome && conventions.awaitSteps() != null && result != null && JsonFields.isIdentifier(result)) {
            // Only an identifier goes into the added steps' JSON (any other result is refused above).
            awaitSteps = conventions.awaitSteps().replace(Conventions.RESULT, result);
        }
        return new Draft(call, timeout, retry, conventions.result(), awaitSteps);
    }

    /** The operation {@code node} names, if it is a known one; problems are reported where it is read. */
    private static Optional<OperationSpec> knownOperation(ServiceCatalog catalog, JsonNode node) {
        JsonNode service = node.get("service");
        JsonNode method = node.get("method");
        return service != null && service.isTextual() && method != null && method.isTextual()
                ? catalog.operation(service.textValue(), method.textValue())
                : Optional.empty();
    }

    /**
     * The steps that wait for the outcome of {@code step}'s call, when its operation's outcome comes
     * later and the step does not wait for it itself: they run only when the step ran, and are as
     * critical as it is.
     */
    private static List<JsonNode> awaiting(StepDraft step, String awaitSteps, JsonNode definitionSteps, Map<String, Integer> taken) {
        JsonNode template = JsonCodec.readTree(awaitSteps);
        Set<String> added = new LinkedHashSet<>();
        template.forEach(awaiting -> added.add(awaiting.path("name").asText()));
        for (String name : added) {
            if (taken.containsKey(name)) {
                // Another step's added ones, most likely: two payments need two results.
                step.at().error("await_outcome", "the steps that wait for this call's outcome (" + String.join(", ", added)
                        + ") would take the name of an earlier one; give this step another \"result\"");
                return List.of();
            }
        }
        for (int i = 0; i < definitionSteps.size(); i++) {
            String name = definitionSteps.get(i).path("name").asText(null);
            if (added.contains(name)) {
                // A definition that already waits for the outcome, under the same names, most likely.
                step.at().error("await_outcome", "the steps that wait for this call's outcome (" + String.join(", ", added)
                        + ") would take the name of steps[" + i + "]; set \"await_outcome\": false if the workflow waits"
                        + " for it itself, or rename that step");
                return List.of();
            }
        }
        List<JsonNode> steps = new ArrayList<>();
        for (JsonNode awaiting : template) {
            ObjectNode copy = (ObjectNode) awaiting;
            if (!copy.has("critical")) {
                copy.put("critical", step.critical());
            }
            if (step.when() != null) {
                JsonNode own = copy.get("when");
                // On lines of their own: a line comment at the end of the step's guard must not swallow the rest.
                copy.put("when", own == null ? step.when() : "(" + step.when() + "\n) && (" + own.textValue() + "\n)");
            }
            steps.add(copy);
        }
        return steps;
    }

    @Override
    public void write(ServiceCallStep step, Map<String, Object> json, ServiceCatalog catalog) {
        DefinitionWriter.call(json, step.call(), true);
        DefinitionWriter.putIfSet(json, "timeout_seconds", DefinitionWriter.seconds(step.timeout()));
        DefinitionWriter.putIfSet(json, "retry", DefinitionWriter.retry(step.retry()));
        // Its waiting steps are written out after it: read again, it must not add them twice.
        if (catalog.operation(step.call().service(), step.call().method())
                .map(spec -> spec.conventions().awaitSteps() != null).orElse(false)) {
            json.put("await_outcome", false);
        }
    }
}
