package io.dotmac.workflow.definition;

import java.util.Optional;
import java.util.Set;

/**
 * The services and operations a workflow may call, so that a definition naming a service or
 * method that does not exist is rejected when it is stored rather than when it runs. Implemented
 * by the service registry.
 */
public interface ServiceCatalog {

    /** The operation, or empty if the service or the method is unknown. */
    Optional<OperationSpec> operation(String service, String method);

    /** Every known service name. */
    Set<String> services();

    /** The method names of {@code service}; empty if the service is unknown. */
    Set<String> methods(String service);

    /**
     * The read-only operation that fetches data of {@code kind} (a {@link Conventions#result()},
     * such as {@code quote}) by its id alone ({@code get_quote} with {@code quote_id}), if there is one.
     */
    default Optional<OperationSpec> reader(String kind) {
        return services().stream()
                .flatMap(service -> methods(service).stream().flatMap(method -> operation(service, method).stream()))
                .filter(spec -> !spec.mutating() && kind.equals(spec.conventions().result())
                        && spec.requiredParams().equals(Set.of(kind + "_id")))
                .findFirst();
    }
}
