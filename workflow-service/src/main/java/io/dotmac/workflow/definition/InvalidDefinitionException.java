package io.dotmac.workflow.definition;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow definition was rejected; carries every problem found, not just the first. */
public class InvalidDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<ValidationError> errors;

    public InvalidDefinitionException(List<ValidationError> errors) {
        super("invalid workflow definition: "
                + errors.stream().map(ValidationError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<ValidationError> errors() {
        return errors;
    }
}
