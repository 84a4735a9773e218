package io.dotmac.workflow.steps.transform;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.JsonFields;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.definition.ServiceCatalog;
import io.dotmac.workflow.definition.StepDraft;
import io.dotmac.workflow.definition.StepType;
import java.util.List;
import java.util.Map;

/** Reads and writes a {@link TransformStep}: {@code set}, an object of context key → value template. */
public final class TransformType implements StepType<TransformStep> {

    @Override
    public String name() {
        return TransformStep.TYPE;
    }

    @Override
    public Class<TransformStep> steps() {
        return TransformStep.class;
    }

    @Override
    public List<String> fields() {
        return List.of("name", "type", "critical", "when", "set", "compensate");
    }

    @Override
    public StepDraft.Body read(StepDraft step, JsonNode node) {
        Place at = step.at();
        JsonNode set = node.get("set");
        if (!JsonFields.present(set)) {
            at.error("set", "required: an object of context key → value template");
            return null;
        }
        if (!set.isObject()) {
            at.error("set", "must be an object of context key → value template (got " + JsonFields.describe(set) + ")");
            return null;
        }
        if (set.isEmpty()) {
            at.error("set", "must set at least one key");
            return null;
        }
        Map<String, Object> values = JsonFields.toJavaMap(set);
        for (String key : values.keySet()) {
            if (!JsonFields.isIdentifier(key)) {
                at.error("set." + key, "key must be an identifier: " + JsonFields.IDENTIFIER_RULE);
            }
            step.provides(key);
        }
        // Against what is available before the step: the keys of one transform do not see each other.
        step.templates(at, "set", values);
        return draft -> new TransformStep(draft.name(), draft.critical(), draft.when(), values, draft.compensate());
    }

    @Override
    public void write(TransformStep step, Map<String, Object> json, ServiceCatalog catalog) {
        json.put("set", step.set());
    }
}
