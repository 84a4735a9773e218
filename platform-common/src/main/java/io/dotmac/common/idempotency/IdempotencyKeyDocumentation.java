package io.dotmac.common.idempotency;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

/**
 * Documents the {@code Idempotency-Key} header on the operations of {@link Idempotent} methods: the
 * interceptor reads it from the request, so no method parameter shows it to the OpenAPI scanner.
 * Runs at build time, where the index tells which methods those are.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class IdempotencyKeyDocumentation implements OASFilter {

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final Set<String> VERBS = Set.of("POST", "PUT", "PATCH", "DELETE");

    // "POST /api/v1/crm/leads/{id}/qualify", as the document's paths spell them.
    private final Set<String> operations = new HashSet<>();

    public IdempotencyKeyDocumentation(IndexView index) {
        for (AnnotationInstance marked : index.getAnnotations(DotName.createSimple(Idempotent.class))) {
            if (marked.target().kind() == AnnotationTarget.Kind.METHOD) {
                add(marked.target().asMethod());
            } else if (marked.target().kind() == AnnotationTarget.Kind.CLASS) {
                marked.target().asClass().methods().forEach(this::add);
            }
        }
    }

    private void add(MethodInfo method) {
        String path = join(pathOf(method.declaringClass().declaredAnnotation(PATH)), pathOf(method.declaredAnnotation(PATH)));
        method.declaredAnnotations().stream().map(a -> a.name().withoutPackagePrefix()).filter(VERBS::contains)
                .forEach(verb -> operations.add(verb + " " + path));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((verb, operation) -> {
            boolean declared = operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(p -> p.getIn() == Parameter.In.HEADER && IdempotencyService.HEADER.equalsIgnoreCase(p.getName()));
            if (operations.contains(verb.name() + " " + path) && !declared) {
                operation.addParameter(OASFactory.createParameter().name(IdempotencyService.HEADER).in(Parameter.In.HEADER)
                        .description("Makes a retry safe: the first request with a key runs and its 2xx answer is kept; "
                                + "a repeat once it is kept gets it again (header " + IdempotencyService.REPLAYED_HEADER
                                + ": true) without running; the key with another method, path or body is then 422")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                                .maxLength(IdempotencyService.MAX_KEY_LENGTH)));
            }
        }));
    }

    private static String pathOf(AnnotationInstance path) {
        return path == null ? "" : path.value().asString();
    }

    private static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
