package io.dotmac.workflow.definition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems of one parse, kept in the order workflow-level first, then step by step: every
 * problem is collected before failing, so an author fixes a definition in one round trip.
 */
public final class Problems {

    private final List<Problem> found = new ArrayList<>();

    void add(int order, ValidationError error) {
        found.add(new Problem(order, error));
    }

    void throwIfAny() {
        if (!found.isEmpty()) {
            // Stable: within a step, problems stay in the order they were found.
            found.sort(Comparator.comparingInt(Problem::order));
            throw new InvalidDefinitionException(found.stream().map(Problem::error).toList());
        }
    }

    private record Problem(int order, ValidationError error) {
    }

    /** Where problems of one part of the definition go: its step and the field path prefix inside it. */
    public record Place(Problems problems, int order, String step, String prefix) {

        public void error(String field, String message) {
            problems.add(order, new ValidationError(step, prefix + field, message));
        }

        public Place within(String field) {
            return new Place(problems, order, step, prefix + field + ".");
        }

        /** How many problems the whole parse has found so far: a part read without adding one is valid. */
        public int found() {
            return problems.found.size();
        }
    }
}
