package io.dotmac.workflow.definition;

import io.dotmac.workflow.steps.StepTypes;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed definition back as JSON, with everything the parser filled in written out
 * ({@link Conventions}): the inputs, each call's result, the default parameters, a waiting
 * condition's refresh and wake_on, the steps that wait for a payment (and {@code "await_outcome":
 * false} on the step they follow). This is what is stored and what the API shows, so that the
 * steps an execution counts by index are fixed when the definition is stored, whatever the parser's
 * conventions become later; reading it again gives the same definition.
 */
public final class DefinitionWriter {

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private final ServiceCatalog catalog;

    DefinitionWriter(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    Map<String, Object> write(WorkflowDefinition definition) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", definition.name());
        json.put("version", definition.version());
        putIfSet(json, "description", definition.description());
        json.put("inputs", definition.inputs());
        if (!definition.tags().isEmpty()) {
            json.put("tags", definition.tags());
        }
        if (!definition.triggers().isEmpty()) {
            json.put("triggers", definition.triggers().stream().map(DefinitionWriter::trigger).toList());
        }
        if (definition.schedule() != null) {
            Map<String, Object> schedule = new LinkedHashMap<>();
            schedule.put("cron", definition.schedule().cron());
            schedule.put("context", definition.schedule().context());
            json.put("schedule", schedule);
        }
        json.put("steps", definition.steps().stream().map(this::step).toList());
        return json;
    }

    private static Map<String, Object> trigger(Trigger trigger) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event", trigger.event());
        json.put("context", trigger.context());
        if (trigger.when() != null) {
            json.put("when", trigger.when());
        }
        if (trigger.unlessRunning() != null) {
            Map<String, Object> unlessRunning = new LinkedHashMap<>();
            unlessRunning.put("workflow", trigger.unlessRunning().workflow());
            unlessRunning.put("key", trigger.unlessRunning().key());
            json.put("unless_running", unlessRunning);
        }
        return json;
    }

    private Map<String, Object> step(StepDefinition step) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", step.name());
        json.put("type", step.type());
        json.put("critical", step.critical());
        putIfSet(json, "when", step.when());
        writeOwn(StepTypes.of(step), step, json);
        if (step.compensate() != null) {
            Map<String, Object> compensate = new LinkedHashMap<>();
            call(compensate, step.compensate().call(), false);
            putIfSet(compensate, "retry", retry(step.compensate().retry()));
            json.put("compensate", compensate);
        }
        return json;
    }

    private <S extends StepDefinition> void writeOwn(StepType<S> type, StepDefinition step, Map<String, Object> json) {
        type.write(type.steps().cast(step), json, catalog);
    }

    /** The call's service, method, params and (if {@code withResult}) result. */
    public static void call(Map<String, Object> json, ServiceCall call, boolean withResult) {
        json.put("service", call.service());
        json.put("method", call.method());
        json.put("params", call.params());
        if (withResult) {
            json.put("result", call.resultKey());
        }
    }

    public static Map<String, Object> retry(RetryPolicy retry) {
        if (retry == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("max_attempts", retry.maxAttempts());
        json.put("backoff_seconds", seconds(retry.initialBackoff()));
        BigDecimal multiplier = BigDecimal.valueOf(retry.multiplier()).stripTrailingZeros();
        json.put("multiplier", multiplier.scale() <= 0 ? (Object) multiplier.longValueExact() : multiplier);
        json.put("max_backoff_seconds", seconds(retry.maxBackoff()));
        return json;
    }

    /** Whole seconds as a whole number, else a decimal with up to nine places. */
    public static Object seconds(Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.getNano() == 0) {
            return duration.getSeconds();
        }
        return new BigDecimal(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano()).divide(NANOS_PER_SECOND))
                .stripTrailingZeros();
    }

    public static void putIfSet(Map<String, Object> json, String field, Object value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
