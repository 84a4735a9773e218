package io.dotmac.workflow.steps.condition;

import static io.dotmac.workflow.definition.JsonFields.describe;
import static io.dotmac.workflow.definition.JsonFields.present;
import static io.dotmac.workflow.definition.JsonFields.requiredString;
import static io.dotmac.workflow.definition.JsonFields.unknownFields;

import com.fasterxml.jackson.databind.JsonNode;
import io.dotmac.workflow.definition.Conventions;
import io.dotmac.workflow.definition.DefinitionWriter;
import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.definition.ServiceCall;
import io.dotmac.workflow.definition.ServiceCatalog;
import io.dotmac.workflow.definition.StepDefinition;
import io.dotmac.workflow.definition.StepDraft;
import io.dotmac.workflow.definition.StepType;
import io.dotmac.workflow.definition.TriggerReader;
import io.dotmac.workflow.definition.WakeOn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a {@link ConditionStep}. A waiting condition with no {@code refresh} over data a
 * service call returned ({@code quote} from {@code generate_quote}) refetches that data with the
 * reader of its kind ({@code get_quote}) and, unless it names its own {@code wake_on}, is woken by
 * the event that says such data changed: otherwise nothing could ever make it true before its timeout.
 */
public final class ConditionType implements StepType<ConditionStep> {

    private static final List<String> REFRESH_FIELDS = List.of("service", "method", "params", "result");
    private static final List<String> WAKE_ON_FIELDS = List.of("event", "key");

    @Override
    public String name() {
        return ConditionStep.TYPE;
    }

    @Override
    public Class<ConditionStep> steps() {
        return ConditionStep.class;
    }

    @Override
    public List<String> fields() {
        return List.of("name", "type", "critical", "when", "condition", "timeout_seconds", "refresh", "wake_on", "error",
                "compensate");
    }

    /** What the step read; what it infers from the steps before it is added once they are all read. */
    private static final class Draft implements StepDraft.Body {
        String condition;
        Duration timeout;
        ServiceCall refresh;
        WakeOn wakeOn;
        String error;

        @Override
        public StepDefinition build(StepDraft step) {
            return new ConditionStep(step.name(), step.critical(), step.when(), condition, timeout, refresh, wakeOn, error,
                    step.compensate());
        }

        @Override
        public void inferFrom(StepDraft step, List<StepDraft> before) {
            if (timeout == null || refresh != null || condition == null) {
                return;
            }
            List<ServiceCall> refreshes = new ArrayList<>();
            for (String root : step.reads("condition")) {
                StepDraft provider = StepDraft.lastProvider(before, root);
                String kind = provider == null || provider.body() == null ? null : provider.body().kindStoredAs(root).orElse(null);
                if (kind != null) {
                    step.catalog().reader(kind).ifPresent(reader -> refreshes.add(new ServiceCall(reader.service(),
                            reader.method(), Map.of(kind + "_id", "${" + root + ".id}"), root)));
                }
            }
            if (refreshes.size() != 1) {
                return;
            }
            refresh = refreshes.get(0);
            step.refreshesFirst(refresh.resultKey());
            step.templates(step.at(), "refresh.params", refresh.params());
            WakeOn changedBy = step.catalog().operation(refresh.service(), refresh.method())
                    .map(reader -> reader.conventions().changedBy()).orElse(null);
            if (wakeOn == null && changedBy != null) {
                wakeOn = new WakeOn(changedBy.event(), changedBy.key().replace(Conventions.RESULT, refresh.resultKey()));
                step.templates(step.at(), "wake_on.key", wakeOn.key());
            }
        }
    }

    @Override
    public StepDraft.Body read(StepDraft step, JsonNode node) {
        Place at = step.at();
        Draft draft = new Draft();
        if (!present(node.get("condition"))) {
            at.error("condition", "required: an expression such as quote.status == 'accepted'");
        }
        draft.condition = step.expression(node, "condition", true);
        draft.timeout = step.timeout(node);
        JsonNode refresh = node.get("refresh");
        if (present(refresh) && !refresh.isObject()) {
            at.error("refresh", "must be an object with service, method, params and result (got " + describe(refresh) + ")");
        } else if (present(refresh)) {
            Place in = at.within("refresh");
            unknownFields(in, refresh, REFRESH_FIELDS);
            String result = step.resultKey(in, refresh, null);
            if (result != null) {
                step.refreshesFirst(result);
            }
            draft.refresh = step.call(in, refresh, result, true);
        }
        JsonNode wakeOn = node.get("wake_on");
        if (present(wakeOn) && !wakeOn.isObject()) {
            at.error("wake_on", "must be an object with event and key (got " + describe(wakeOn) + ")");
        } else if (present(wakeOn)) {
            Place in = at.within("wake_on");
            unknownFields(in, wakeOn, WAKE_ON_FIELDS);
            String event = TriggerReader.knownEvent(in, wakeOn);
            String key = requiredString(in, wakeOn, "key");
            if (key != null) {
                step.templates(at, "wake_on.key", key);
            }
            draft.wakeOn = event != null && key != null ? new WakeOn(event, key) : null;
        }
        JsonNode error = node.get("error");
        if (present(error) && (!error.isTextual() || error.textValue().isBlank())) {
            at.error("error", "must be a text, e.g. \"payment not received: ${payment.failure_message}\" (got "
                    + describe(error) + ")");
        } else if (present(error)) {
            draft.error = error.textValue();
            // Like the condition, it sees what its own refresh fetched.
            step.templatesAfterRefresh(at, "error", draft.error);
        }
        return draft;
    }

    @Override
    public void write(ConditionStep step, Map<String, Object> json, ServiceCatalog catalog) {
        json.put("condition", step.condition());
        DefinitionWriter.putIfSet(json, "timeout_seconds", DefinitionWriter.seconds(step.timeout()));
        if (step.refresh() != null) {
            Map<String, Object> refresh = new LinkedHashMap<>();
            DefinitionWriter.call(refresh, step.refresh(), true);
            json.put("refresh", refresh);
        }
        if (step.wakeOn() != null) {
            Map<String, Object> wakeOn = new LinkedHashMap<>();
            wakeOn.put("event", step.wakeOn().event());
            wakeOn.put("key", step.wakeOn().key());
            json.put("wake_on", wakeOn);
        }
        DefinitionWriter.putIfSet(json, "error", step.error());
    }
}
