package io.dotmac.workflow.definition;

import io.dotmac.workflow.definition.Problems.Place;
import io.dotmac.workflow.expression.ContextPath;
import io.dotmac.workflow.expression.Templates;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The context keys a definition reads, checked once every step is known: each must be an input or
 * provided by an earlier step, so that a definition that would fail on a missing key halfway
 * through an execution is refused when it is stored.
 */
final class References {

    /**
     * A context key read by a template ({@code template} is the {@code ${...}} text) or an
     * expression ({@code template} null).
     *
     * @param seesOwnRefresh read after the step's own refresh has stored its result
     */
    record Reference(Place at, String field, String template, String root, boolean seesOwnRefresh) {
    }

    private References() {
    }

    /** Adds the {@code ${path}} references of every string in {@code value}, each located by its path. */
    static void templates(Place at, String path, Object value, List<Reference> references) {
        templates(at, path, value, false, references);
    }

    static void templates(Place at, String path, Object value, boolean seesOwnRefresh, List<Reference> references) {
        if (value instanceof String text) {
            try {
                for (ContextPath ref : Templates.references(text)) {
                    references.add(new Reference(at, path, "${" + ref.text() + "}", ref.root(), seesOwnRefresh));
                }
            } catch (IllegalArgumentException e) {
                // The message quotes the template and says what is wrong with it.
                at.error(path, e.getMessage());
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> templates(at, path + "." + key, item, seesOwnRefresh, references));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                templates(at, path + "[" + i + "]", list.get(i), seesOwnRefresh, references);
            }
        }
    }

    /**
     * The inputs of a definition that lists none, as the guide's do: every key read before any
     * step provides it and that no step provides at all (one a later step provides stays an error).
     */
    static List<String> inferredInputs(List<StepDraft> steps) {
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
    static void check(List<String> inputs, List<StepDraft> steps) {
        Set<String> available = new LinkedHashSet<>(inputs);
        for (int i = 0; i < steps.size(); i++) {
            StepDraft step = steps.get(i);
            for (Reference ref : step.references) {
                // A condition is evaluated after its refresh has stored a fresh result.
                boolean ownRefresh = ref.seesOwnRefresh() && ref.root().equals(step.refreshed);
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
                        : "; step '" + steps.get(j).label() + "' provides it, but runs later");
                break;
            }
        }
        return message.toString();
    }
}
