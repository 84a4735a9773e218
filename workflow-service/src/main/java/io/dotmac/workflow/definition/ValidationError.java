package io.dotmac.workflow.definition;

import java.util.Objects;

/**
 * One problem found in a workflow definition, located by step and by dotted field path (such as
 * {@code params.amount} or {@code retry.max_attempts}) so the author can find it.
 *
 * @param step the step's name, or null for a problem of the workflow as a whole
 */
public record ValidationError(String step, String field, String message) {

    public ValidationError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        String where = "field '" + field + "': " + message;
        return step == null ? where : "step '" + step + "' " + where;
    }
}
