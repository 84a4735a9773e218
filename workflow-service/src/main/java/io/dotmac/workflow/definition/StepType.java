package io.dotmac.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A kind of step: how a step of it is read from a definition's JSON and written back. Each lives in
 * its package under {@code io.dotmac.workflow.steps} beside its record and its handler, and is
 * listed in {@code StepTypes}.
 *
 * @param <S> the record of its steps
 */
public interface StepType<S extends StepDefinition> {

    /** The name in the JSON, e.g. {@code service_call}. */
    String name();

    Class<S> steps();

    /** Every field a step of this type may have, in the order a message lists them. */
    List<String> fields();

    /** Reads the type's own fields of {@code node}; problems go to {@code step.at()}. */
    StepDraft.Body read(StepDraft step, JsonNode node);

    /** Writes the type's own fields of {@code step}, with everything the parser filled in. */
    void write(S step, Map<String, Object> json, ServiceCatalog catalog);
}
